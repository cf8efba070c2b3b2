// A client generated from the published document (openapi-typescript + openapi-fetch) signs in
// against the running API as Ada, mints a bearer token and reads her session with it. It must
// compile with `tsc --strict` against the generated types and its answers must match them, so a
// document that drifts from the API (names, shapes, enum spellings) fails here.

import test from "node:test";
import assert from "node:assert/strict";
import createClient from "openapi-fetch";
import type { paths } from "./generated/schema.js";
import { roleValues, severityValues } from "./generated/schema.js";

const baseUrl = process.env.PORTAL_API_URL;
if (!baseUrl) throw new Error("set PORTAL_API_URL to the running API, e.g. http://127.0.0.1:8080");

// Writes authenticated by the session cookie must carry this header (CSRF defence).
const csrf = { "X-Requested-With": "contract-client" };
const ada = { email: "ada@acme.example", password: "portal-demo" };

async function signIn(): Promise<string> {
  const client = createClient<paths>({ baseUrl, headers: csrf });
  const { data, error, response } = await client.POST("/api/v1/session", { body: ada });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.equal(data?.user.email, ada.email);
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  assert.ok(cookie, "the session cookie is set");
  return cookie;
}

async function bearerToken(cookie: string): Promise<string> {
  const client = createClient<paths>({ baseUrl, headers: { ...csrf, Cookie: cookie } });
  const { data, error, response } = await client.POST("/api/v1/tokens");
  assert.equal(response.status, 201, JSON.stringify(error));
  assert.ok(data && data.token.length > 0, "a token is minted");
  return data.token;
}

test("signs in, mints a token and reads the session with it", async () => {
  const token = await bearerToken(await signIn());
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
  const { data, response } = await client.GET("/api/v1/session");
  assert.equal(response.status, 200);
  assert.equal(data?.user.email, ada.email);
  assert.ok(roleValues.includes(data.user.role), `role ${data.user.role} is a documented value`);
});

test("answers carry the enum values the document lists", async () => {
  const token = await bearerToken(await signIn());
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
  const { data, response } = await client.GET("/api/v1/config");
  assert.equal(response.status, 200);
  const answered = data?.severities.map((s) => s.severity) ?? [];
  assert.deepEqual(answered, [...severityValues]);
});

test("an error answer has the documented shape", async () => {
  const client = createClient<paths>({ baseUrl, headers: csrf });
  const { error, response } = await client.GET("/api/v1/session");
  assert.equal(response.status, 401);
  assert.equal(error?.error.type, "authentication");
  assert.match(error.error.request_id, /^req_/);
});
