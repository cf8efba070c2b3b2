// Bird Support Portal: the entry a host page loads to mount the portal (README, "Embedding").
//
//   import { mount } from "https://support.bird.example/embed.js";
//   const portal = await mount(element, { token, getToken, locale, basePath, onEvent });
//   portal.setToken(t); portal.setLocale("it"); portal.unmount();
//
// or, with no script of your own: <bird-support-portal token-url="…" base-path="…">.
//
// It finds this build's hashed module, wasm and stylesheet in the portal's index.html (so it
// works with any release build, unchanged), starts the module without letting it take the
// page, and mounts the portal into a shadow root of the host's element: the host's CSS does
// not reach in and the portal's does not leak out.

const PORTAL = "bird-support-portal";
let starting = null;

async function start() {
  globalThis.__birdSupportPortalEmbed = true;
  const index = new URL("index.html", import.meta.url);
  const answer = await fetch(index, { credentials: "omit" });
  if (!answer.ok) throw new Error(`Bird Support Portal: cannot load ${index} (${answer.status})`);
  const page = new DOMParser().parseFromString(await answer.text(), "text/html");
  const asset = (selector) => {
    const link = page.querySelector(selector);
    if (!link) throw new Error(`Bird Support Portal: ${index} has no ${selector}`);
    return new URL(link.getAttribute("href"), index).href;
  };
  const stylesheet = asset('link[rel="stylesheet"]');
  const module = await import(asset('link[rel="modulepreload"]'));
  await module.default({ module_or_path: asset('link[rel="preload"][as="fetch"]') });
  const bridge = globalThis.__birdSupportPortal;
  if (!bridge) throw new Error("Bird Support Portal: the module started without its mount entry");
  return { bridge, stylesheet };
}

function ready() {
  starting ??= start().catch((error) => {
    starting = null; // a later mount may try again (e.g. after the network came back)
    throw error;
  });
  return starting;
}

/** Mounts the portal into `element` (which it owns from then on). Resolves to a handle. */
export async function mount(element, options = {}) {
  if (!(element instanceof Element)) throw new TypeError("Bird Support Portal: mount needs an element");
  const { bridge, stylesheet } = await ready();
  const shadow = element.shadowRoot ?? element.attachShadow({ mode: "open" });
  if (shadow.querySelector(".bp-root")) throw new Error("Bird Support Portal: already mounted here; unmount it first");
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = stylesheet;
  const root = document.createElement("div");
  root.className = "bp-root";
  const styled = new Promise((resolve) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true });
  });
  shadow.append(link, root);
  await styled;
  let control;
  try {
    control = await bridge.mount(root, options);
  } catch (error) {
    link.remove();
    root.remove();
    throw error;
  }
  let mounted = true;
  return {
    setToken: (token) => control("setToken", token),
    setLocale: (locale) => control("setLocale", locale),
    unmount() {
      if (!mounted) return;
      mounted = false;
      control("unmount");
      link.remove();
      root.remove();
    },
  };
}

/** `<bird-support-portal>`: the same, configured by attributes. */
class BirdSupportPortal extends HTMLElement {
  static observedAttributes = ["locale", "token"];
  #handle = null;
  #mounting = null;

  connectedCallback() {
    const attr = (name) => this.getAttribute(name) ?? undefined;
    const options = {
      apiBase: attr("api-base"),
      token: attr("token"),
      tokenUrl: attr("token-url"),
      locale: attr("locale"),
      account: attr("account"),
      basePath: attr("base-path"),
      path: attr("path"),
      theme: { scheme: attr("theme") },
      getToken: this.getToken,
    };
    const mounting = mount(this, options).then(
      (handle) => {
        if (this.#mounting !== mounting) handle.unmount();
        else this.#handle = handle;
      },
      (error) => {
        console.error(error);
        this.dispatchEvent(new CustomEvent(`${PORTAL}:error`, { detail: { message: String(error.message) } }));
      },
    );
    this.#mounting = mounting;
  }

  disconnectedCallback() {
    this.#mounting = null;
    this.#handle?.unmount();
    this.#handle = null;
  }

  attributeChangedCallback(name, _old, value) {
    if (!this.#handle || !value) return;
    if (name === "locale") this.#handle.setLocale(value);
    if (name === "token") this.#handle.setToken(value);
  }

  /** For hosts that hand over tokens from script. */
  setToken(token) {
    this.#handle?.setToken(token);
  }
}

if (!customElements.get(PORTAL)) customElements.define(PORTAL, BirdSupportPortal);
