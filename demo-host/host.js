// The mock dashboard: signs in as a demo user, mints tokens for the portal, embeds it mounted
// (`/demo-host/mounted/…`) or in an iframe (`/demo-host/framed/…`), and lists its events.
import { mount } from "/embed.js";

const API = "/api/v1";
const PORTAL = "bird-support-portal";
const params = new URLSearchParams(location.search);
const user = params.get("user") ?? "ada@acme.example";
const locale = params.get("locale") ?? "en";
// The portals this dashboard is configured with: tokens are posted to these origins and no
// other. A link can choose among them (?portal=ORIGIN, for framing from another origin, which
// must be in the portal server's --frame-ancestors) but never add one, or anyone could send a
// signed-in person a link that hands their tokens to a page of the sender's. The demo serves
// the dashboard and the portal from one server, so its portal is that server, reached by name
// or by its loopback address.
const CONFIGURED_PORTALS = [location.origin, location.origin.replace("//localhost:", "//127.0.0.1:")];
const portalOrigin = params.get("portal") ?? location.origin;
const $ = (id) => document.getElementById(id);

let handed = 0;
let lastToken = null;
let portal = null;

function log(event) {
  const item = document.createElement("li");
  const { source: _source, version, type, ...rest } = event;
  item.textContent = `${type} v${version} ${JSON.stringify(rest)}`;
  $("events").append(item);
}

async function signIn() {
  const answer = await fetch(`${API}/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Requested-With": "dashboard" },
    body: JSON.stringify({ email: user, password: "portal-demo" }),
  });
  if (!answer.ok) throw new Error(`the dashboard could not sign in ${user}: ${answer.status}`);
  $("dash-user").textContent = `Signed in as ${(await answer.json()).user.name}`;
}

/** What the dashboard's backend would do: a short-lived portal token for its signed-in user. */
async function mintToken() {
  if ($("refuse").checked) throw new Error("the dashboard refuses to hand over a token");
  const answer = await fetch(`${API}/tokens`, { method: "POST", headers: { "X-Requested-With": "dashboard" } });
  if (!answer.ok) throw new Error(`no token: ${answer.status}`);
  lastToken = (await answer.json()).token;
  handed += 1;
  $("token-count").textContent = `Tokens handed over: ${handed}`;
  return lastToken;
}

/** Revokes the token the portal holds, as its expiry would. */
async function expireToken() {
  if (!lastToken) return;
  await fetch(`${API}/session`, {
    method: "DELETE",
    credentials: "omit",
    headers: { Authorization: `Bearer ${lastToken}`, "X-Requested-With": "dashboard" },
  });
  log({ type: "host.token_expired", version: 1 });
}

async function mountPortal() {
  if (portal) return;
  portal = await mount($("portal-slot"), {
    token: await mintToken(),
    getToken: mintToken,
    locale,
    theme: { scheme: params.get("theme") ?? "auto", brand: params.get("brand") ?? undefined },
    basePath: "/demo-host/mounted",
    onEvent: log,
  });
}

function frame() {
  if (!CONFIGURED_PORTALS.includes(portalOrigin)) {
    throw new Error(`it is not configured for a portal at ${portalOrigin}, so it frames nothing and hands no token to it`);
  }
  const iframe = document.createElement("iframe");
  iframe.className = "portal-frame";
  iframe.title = "Bird Premium Support";
  iframe.src = `${portalOrigin}/embed/`;
  iframe.style.height = "400px";
  const post = (message) =>
    iframe.contentWindow.postMessage({ target: PORTAL, version: 1, ...message }, portalOrigin);
  const configure = async () => post({ type: "configure", options: { token: await mintToken(), locale } });
  let ready = false;
  window.addEventListener("message", async (event) => {
    if (event.source !== iframe.contentWindow || event.origin !== portalOrigin) return;
    const data = event.data;
    if (data?.source !== PORTAL) return;
    if (data.type === "resize") iframe.style.height = `${data.height}px`;
    else log(data);
    if (data.type === "ready") {
      ready = true;
      if (!params.has("wait")) await configure();
    }
    if (data.type === "token.requested") {
      try {
        post({ type: "token", token: await mintToken() });
      } catch (error) {
        log({ type: "host.token_refused", version: 1, message: String(error.message) });
      }
    }
  });
  $("configure").addEventListener("click", () => ready && configure());
  $("hand-token").addEventListener("click", async () => post({ type: "token", token: await mintToken() }));
  $("portal-slot").append(iframe);
}

async function main() {
  await signIn();
  const path = location.pathname;
  if (path.startsWith("/demo-host/mounted")) {
    $("dash-title").textContent = "Support";
    $("portal-slot").addEventListener(PORTAL, (event) => {
      if (event.detail?.type === "session.expired") log({ type: "host.saw_session_expired", version: 1 });
    });
    await mountPortal();
    $("unmount").addEventListener("click", () => {
      portal?.unmount();
      portal = null;
    });
    $("mount-again").addEventListener("click", () => mountPortal());
    $("hand-token").addEventListener("click", async () => portal?.setToken(await mintToken()));
  } else if (path.startsWith("/demo-host/framed")) {
    $("dash-title").textContent = "Support";
    frame();
  }
  $("expire").addEventListener("click", expireToken);
}

main().catch((error) => {
  const alert = document.createElement("p");
  alert.setAttribute("role", "alert");
  alert.textContent = `The demo dashboard failed: ${error.message}`;
  // Beside the slot, not in it: once the portal attached its shadow root, the slot's own
  // children are not shown.
  $("portal-slot").before(alert);
});
