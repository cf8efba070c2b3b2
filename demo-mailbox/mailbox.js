// The demo's mailbox: lists what the server wrote into its outbox folder and answers an email as
// its recipient would, through the inbound relay webhook. Every value from an email is set as
// text (or, for the HTML part, inside a sandboxed frame where no script runs: the frame keeps
// this page's origin only so that the policy it inherits, `frame-ancestors 'self'`, lets it show).

const API = "/api/v1";
// The relay's token of a server started with --demo (README): a demo server takes no other
// mail than what this page, or a test, sends as the relay.
const DEMO_RELAY_TOKEN = "demo-relay-token";
const $ = (id) => document.getElementById(id);
let emails = [];
let shown = null;

function say(text) {
  $("status").textContent = text;
}

/** The bare address of `Name <a@b>` or `a@b`. */
function address(value) {
  const match = /<([^>]+)>/.exec(value ?? "");
  return (match ? match[1] : value ?? "").trim();
}

async function load() {
  say("Loading…");
  let answer;
  try {
    answer = await fetch(`${API}/demo/mailbox`);
  } catch {
    say("The server cannot be reached. Is it running? Refresh to try again.");
    return;
  }
  if (answer.status === 404) {
    say("This server sends its emails to an SMTP server (--smtp-url), or runs without --demo: look there.");
    return;
  }
  if (!answer.ok) {
    say(`The mailbox could not be read (${answer.status}). Refresh to try again.`);
    return;
  }
  emails = (await answer.json()).emails;
  const list = $("emails");
  list.replaceChildren(
    ...emails.map((email, index) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const subject = document.createElement("strong");
      subject.textContent = email.subject;
      const to = document.createElement("span");
      to.className = "to";
      to.textContent = `To ${email.to}`;
      const date = document.createElement("span");
      date.className = "date";
      date.textContent = email.date ? new Date(email.date).toLocaleString() : "";
      button.append(subject, to, date);
      button.addEventListener("click", () => show(index));
      item.append(button);
      return item;
    }),
  );
  say(emails.length === 0 ? "No email yet: open a case or escalate one in the portal, then refresh." : emails.length === 1 ? "1 email." : `${emails.length} emails.`);
  if (emails.length > 0) show(Math.min(shown ?? 0, emails.length - 1));
}

function show(index) {
  shown = index;
  const email = emails[index];
  document.querySelectorAll("#emails button").forEach((b, i) => b.setAttribute("aria-current", String(i === index)));
  $("email").hidden = false;
  $("email-subject").textContent = email.subject;
  const headers = [
    ["From", email.from],
    ["To", email.to],
    ["Reply-To", email.reply_to],
    ["Date", email.date ? new Date(email.date).toLocaleString() : null],
    ["Message-ID", email.message_id],
    ["List-Unsubscribe", email.list_unsubscribe],
  ].filter(([, value]) => value);
  $("email-headers").replaceChildren(
    ...headers.flatMap(([name, value]) => {
      const dt = document.createElement("dt");
      dt.textContent = name;
      const dd = document.createElement("dd");
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  $("email-text").textContent = email.text;
  $("email-html").srcdoc = email.html ?? "";
  $("reply").hidden = !email.reply_to;
  $("reply-result").textContent = "";
}

/** The reply as a mail client writes it: the new text, then the quoted email. */
function replyMessage(email, text) {
  const quoted = email.text.split(/\r?\n/).map((line) => `> ${line}`);
  const when = email.date ? new Date(email.date).toUTCString() : "earlier";
  return [
    `From: ${email.to}`,
    `To: ${email.reply_to}`,
    `Subject: Re: ${email.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <demo-${crypto.randomUUID()}@mailbox.demo.example>`,
    `In-Reply-To: <${email.message_id}>`,
    `References: <${email.message_id}>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    text,
    "",
    `On ${when}, ${email.from} wrote:`,
    ...quoted,
    "",
  ].join("\r\n");
}

async function sendReply(event) {
  event.preventDefault();
  const email = emails[shown];
  const text = $("reply-text").value.trim();
  const result = $("reply-result");
  if (!email || !text) {
    result.textContent = "Write a reply first.";
    $("reply-text").focus();
    return;
  }
  result.textContent = "Sending…";
  const batch = [
    {
      msys: {
        relay_message: {
          msg_from: address(email.to),
          rcpt_to: address(email.reply_to),
          content: { subject: `Re: ${email.subject}`, text, email_rfc822: replyMessage(email, text) },
        },
      },
    },
  ];
  let answer;
  try {
    answer = await fetch(`${API}/inbound/relay-webhook`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-MessageSystems-Webhook-Token": DEMO_RELAY_TOKEN },
      body: JSON.stringify(batch),
    });
  } catch {
    result.textContent = "The server cannot be reached; your reply is still here. Send it again.";
    return;
  }
  const body = await answer.json().catch(() => null);
  const outcome = body?.results?.[0];
  if (answer.ok && outcome && outcome.status !== "rejected") {
    result.textContent = `Bird received your reply on ${outcome.number ?? "the case"}. `;
    const link = document.createElement("a");
    link.href = `/cases/${encodeURIComponent(outcome.case_id)}`;
    link.textContent = "See it on the case page";
    result.append(link);
    $("reply-text").value = "";
    return;
  }
  const why = outcome?.reason ?? body?.error?.details?.[0]?.message ?? body?.error?.message ?? `status ${answer.status}`;
  result.textContent = `The reply was refused: ${why}. Your text is still here.`;
}

$("refresh").addEventListener("click", load);
$("reply").addEventListener("submit", sendReply);
load();
