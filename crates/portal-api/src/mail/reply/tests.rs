//! Replies as Gmail, Outlook and Apple Mail write them, in English and Italian, as text and as
//! HTML-only messages read through `mail_parser`.

use super::*;
use mail_parser::{MessageParser, PartType};

const ADDRESS: &str = "reply+3f2a9c0d41b7e8a65c21d9f0e4b7a1c3d5e6f708@reply.bird.example";

/// The quoted notification as clients quote it: marker first, then what Bird wrote.
fn quoted(marker: &str) -> String {
    format!(
        "> {marker}\n>\n> Alex (Bird Support) asked for information on CASE-1042:\n>\n> Bounce headers\n\
         > Please send the full headers of one bounced message.\n>\n> Open the case: \
         http://127.0.0.1:8080/cases/cas_1\n"
    )
}

fn english() -> String {
    quoted(REPLY_MARKERS[0])
}

fn italian() -> String {
    quoted(REPLY_MARKERS[1])
}

#[test]
fn gmail_in_english_with_the_attribution_wrapped_over_two_lines() {
    let reply = format!(
        "Here are the headers you asked for.\n\nReceived: from mx.acme.example\n\nThanks,\nAda\n\n\
         On Mon, 2 Dec 2026 at 10:00, Bird Premium Support <\n{ADDRESS}> wrote:\n\n{}",
        english()
    );
    assert_eq!(
        above_quote(&reply),
        "Here are the headers you asked for.\n\nReceived: from mx.acme.example\n\nThanks,\nAda"
    );
    let one_line = format!("Fixed.\r\n\r\nOn Mon, Dec 2, 2026 at 10:00 AM Bird <{ADDRESS}> wrote:\r\n{}", english());
    assert_eq!(above_quote(&one_line), "Fixed.");
}

#[test]
fn gmail_in_italian() {
    let reply = format!(
        "Ecco le intestazioni richieste.\n\nIl giorno lun 2 dic 2026 alle ore 10:00 Bird Premium Support <\n\
         {ADDRESS}> ha scritto:\n\n{}",
        italian()
    );
    assert_eq!(above_quote(&reply), "Ecco le intestazioni richieste.");
}

#[test]
fn outlook_with_its_rule_and_header_block() {
    let reply = format!(
        "Please find the logs attached.\n\nRegards,\nAda Lovelace\nAcme Mail\n\n\
         ________________________________\nFrom: Bird Premium Support <support@bird.example>\n\
         Sent: Monday, December 2, 2026 10:00 AM\nTo: Ada Lovelace <ada@acme.example>\n\
         Subject: [CASE-1042] Information requested: bounce headers\n\n{}",
        REPLY_MARKERS[0]
    );
    assert_eq!(above_quote(&reply), "Please find the logs attached.\n\nRegards,\nAda Lovelace\nAcme Mail");
    // Without the underscores, the header block alone marks the quote.
    let bold = "Done.\n\n*From:* Bird Premium Support <support@bird.example>\n*Sent:* Monday, December 2, 2026\n\
                *To:* Ada\n*Subject:* [CASE-1042] Bounces\n\nHello Ada,";
    assert_eq!(above_quote(bold), "Done.");
    let classic = "Done, see attached.\n\n-----Original Message-----\nFrom: Bird Premium Support \
                   <support@bird.example>\nSent: Monday, December 2, 2026 10:00 AM\n";
    assert_eq!(above_quote(classic), "Done, see attached.");
}

#[test]
fn outlook_in_italian() {
    let reply = "In allegato i log.\n\nCordiali saluti,\nAda\n\n________________________________\n\
                 Da: Bird Premium Support <support@bird.example>\nInviato: lunedì 2 dicembre 2026 10:00\n\
                 A: Ada Lovelace <ada@acme.example>\nOggetto: [CASE-1042] Richiesta di informazioni\n";
    assert_eq!(above_quote(reply), "In allegato i log.\n\nCordiali saluti,\nAda");
    let classic = "Fatto.\n\n-----Messaggio originale-----\nDa: Bird\nInviato: lunedì\nOggetto: x\n";
    assert_eq!(above_quote(classic), "Fatto.");
}

#[test]
fn apple_mail_quotes_its_attribution_and_signs_off() {
    let reply = format!(
        "Yes, that fixed it.\n\nSent from my iPhone\n\n> On 2 Dec 2026, at 10:00, Bird Premium Support \
         <{ADDRESS}> wrote:\n> \n{}",
        english()
    );
    assert_eq!(above_quote(&reply), "Yes, that fixed it.");
    let desktop =
        format!("Works now.\n\nOn 2 Dec 2026, at 10:00, Bird Premium Support <{ADDRESS}> wrote:\n\n{}", english());
    assert_eq!(above_quote(&desktop), "Works now.");
}

#[test]
fn apple_mail_in_italian() {
    let reply = format!(
        "Sì, ora funziona.\n\nInviato da iPhone\n\n> Il giorno 2 dic 2026, alle ore 10:00, Bird Premium \
         Support <{ADDRESS}> ha scritto:\n> \n{}",
        italian()
    );
    assert_eq!(above_quote(&reply), "Sì, ora funziona.");
    let newer = format!(
        "Grazie.\n\nIl 2 dic 2026, alle ore 10:00, Bird Premium Support <{ADDRESS}> ha scritto:\n\n{}",
        italian()
    );
    assert_eq!(above_quote(&newer), "Grazie.");
}

#[test]
fn the_marker_alone_cuts_and_signatures_go() {
    assert_eq!(above_quote(&format!("Top posted.\n{}", REPLY_MARKERS[1])), "Top posted.");
    assert_eq!(above_quote(&format!("Inline {} after", REPLY_MARKERS[0])), "Inline");
    let signed = format!("Thanks!\n-- \nAda Lovelace | Acme Mail\n+44 20 0000 0000\n\n{}", english());
    assert_eq!(above_quote(&signed), "Thanks!");
    assert_eq!(above_quote("Thanks!\n--\nAda"), "Thanks!", "a delimiter whose space was trimmed");
}

#[test]
fn nothing_above_the_quote_is_an_empty_reply() {
    assert_eq!(above_quote(&english()), "");
    assert_eq!(above_quote(&format!("\n\nSent from my iPhone\n\nOn 2 Dec 2026, Bird wrote:\n{}", english())), "");
    assert_eq!(above_quote("   \r\n  "), "");
}

#[test]
fn the_persons_own_words_are_kept() {
    // Quotes in the middle (an inline answer) stay; only those at the end are history.
    let inline = "> Which server?\nmx2.acme.example\n\n> Since when?\nSince 09:00\n\n> Thanks\n> Alex";
    assert_eq!(above_quote(inline), "> Which server?\nmx2.acme.example\n\n> Since when?\nSince 09:00");
    let own_words = "On Monday the queue was stuck.\nSent from our staging server, the test bounced too.\n\
                     Il server di posta ha scritto: errore 550.\nFrom: the logs, nothing else.";
    assert_eq!(above_quote(own_words), own_words);
    let long_sign_off = "It works.\nSent from my desk after the third restart of the whole cluster tonight";
    assert_eq!(above_quote(long_sign_off), long_sign_off);
}

/// The words of an HTML-only message, as the inbound route reads them.
fn html_reply(html: &str) -> String {
    let raw = format!(
        "From: Ada <ada@acme.example>\r\nTo: {ADDRESS}\r\nSubject: Re: [CASE-1042] Bounces\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
    );
    let message = MessageParser::default().parse(raw.as_bytes()).expect("a message");
    match &message.text_part(0).expect("a body").body {
        PartType::Html(html) => html_above_quote(html),
        other => panic!("not read as HTML: {other:?}"),
    }
}

#[test]
fn gmail_html() {
    let html = format!(
        "<div dir=\"ltr\">Here are the headers.<div><br></div><div>Ada</div></div><br><div class=\"gmail_quote\">\
         <div dir=\"ltr\" class=\"gmail_attr\">On Mon, 2 Dec 2026 at 10:00, Bird Premium Support &lt;<a \
         href=\"mailto:{ADDRESS}\">{ADDRESS}</a>&gt; wrote:<br></div><blockquote class=\"gmail_quote\" \
         style=\"margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex\">{}<br>\
         Alex asked for information.</blockquote></div>",
        REPLY_MARKERS[0]
    );
    assert_eq!(html_reply(&html), "Here are the headers.\n\nAda");
}

#[test]
fn outlook_html_desktop_and_web() {
    let desktop = "<html><head><style>p.MsoNormal{margin:0cm}</style></head><body lang=\"IT\">\
        <div class=\"WordSection1\"><p class=\"MsoNormal\">In allegato i log.<o:p></o:p></p>\
        <p class=\"MsoNormal\"><o:p>&nbsp;</o:p></p><p class=\"MsoNormal\">Ada<o:p></o:p></p>\
        <div><div style=\"border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm\">\
        <p class=\"MsoNormal\"><b>Da:</b> Bird Premium Support &lt;support@bird.example&gt;<br>\
        <b>Inviato:</b> lunedì 2 dicembre 2026 10:00<br><b>A:</b> Ada Lovelace &lt;ada@acme.example&gt;<br>\
        <b>Oggetto:</b> [CASE-1042] Richiesta di informazioni<o:p></o:p></p></div></div>\
        <p class=\"MsoNormal\">##- Scrivi la tua risposta sopra questa riga -##</p></div></body></html>";
    assert_eq!(html_reply(desktop), "In allegato i log.\n\nAda");
    let web = "<div>Logs attached.</div><div>Ada</div><div id=\"appendonsend\"></div>\
        <hr style=\"display:inline-block;width:98%\"><div id=\"divRplyFwdMsg\" dir=\"ltr\"><font face=\"Calibri\">\
        <b>From:</b> Bird Premium Support &lt;support@bird.example&gt;<br><b>Sent:</b> Monday, December 2, \
        2026 10:00<br><b>Subject:</b> [CASE-1042] Bounces</font></div><div>Hello Ada,</div>";
    assert_eq!(html_reply(web), "Logs attached.\nAda");
}

#[test]
fn apple_mail_html_in_italian() {
    let html = format!(
        "<html><head><meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\"></head>\
         <body dir=\"auto\">Sì, funziona.<br><br><div dir=\"ltr\">Inviato da iPhone</div><div dir=\"ltr\"><br>\
         <blockquote type=\"cite\">Il giorno 2 dic 2026, alle ore 10:00, Bird Premium Support &lt;{ADDRESS}&gt; \
         ha scritto:<br><br></blockquote></div><blockquote type=\"cite\"><div dir=\"ltr\">{}</div></blockquote>\
         </body></html>",
        REPLY_MARKERS[1]
    );
    assert_eq!(html_reply(&html), "Sì, funziona.");
}

#[test]
fn html_without_a_quote_container_still_meets_the_text_rules() {
    let html = format!(
        "<p>Thanks &amp; regards &lt;Ada&gt;</p><p>On Mon, 2 Dec 2026 at 10:00, Bird wrote:</p><p>{}</p>",
        REPLY_MARKERS[0]
    );
    assert_eq!(html_reply(&html), "Thanks & regards <Ada>");
}
