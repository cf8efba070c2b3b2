//! One entry of the timeline: a card on its author's side (the customer's, or Bird's) with
//! their initials, name and role in words, or a one-line record.

use super::entries::{Entry, Shape, initials};
use super::event_title;
use crate::core::i18n::{I18n, Key, use_i18n};
use crate::features::cases::labels;
use crate::features::uploads::AttachmentList;
use crate::ui::time::DateTimeText;
use leptos::prelude::*;
use portal_contract::rules::Side;
use portal_contract::{CaseStatus, EventKind, Person, Role};

/// One entry, in the words of `viewer`.
#[component]
pub fn EntryView(entry: Entry, viewer: Role) -> impl IntoView {
    match entry.shape {
        Shape::Card => view! { <EntryCard entry viewer /> }.into_any(),
        Shape::Line => view! { <EntryLine entry viewer /> }.into_any(),
    }
}

/// Bird's own records carry no person's name: "Bird", without a role.
fn author_name(i18n: I18n, author: &Person) -> String {
    if author.role == Role::System { i18n.t(labels::role(Role::System)).to_owned() } else { author.name.clone() }
}

fn side_class(role: Role) -> &'static str {
    match Side::of(role) {
        Some(Side::Customer) => "side-customer",
        Some(Side::Bird) => "side-bird",
        None => "side-system",
    }
}

/// "Status changed to In progress", for a change folded into an entry.
fn status_text(i18n: I18n, status: CaseStatus, viewer: Role) -> String {
    i18n.f(Key::EventStatusChanged, &[("status", i18n.t(labels::status_for(status, viewer)))])
}

/// What someone wrote, asked or decided, labelled by its heading and its by-line.
#[component]
fn EntryCard(entry: Entry, viewer: Role) -> impl IntoView {
    let i18n = use_i18n();
    let Entry { event, then_status, .. } = entry;
    let role = event.author.role;
    let (title_id, by_id) = (format!("{}-title", event.id), format!("{}-by", event.id));
    let labelled_by = format!("{title_id} {by_id}");
    let title = {
        let event = event.clone();
        move || event_title(i18n, &event, viewer)
    };
    let name = author_name(i18n, &event.author);
    view! {
        <li class=format!("entry entry-card {} by-{}", side_class(role), role.as_str())>
            <article aria-labelledby=labelled_by>
                <header class="entry-head">
                    <span class="initials" aria-hidden="true">{initials(&name)}</span>
                    <div class="entry-heading">
                        <h3 id=title_id class="entry-title">{title}</h3>
                        <p id=by_id class="entry-by">
                            <span class="entry-author">{name}</span>
                            {(role != Role::System).then(|| view! {
                                " " <span class="role-tag">{move || i18n.t(labels::role(role))}</span>
                            })}
                            " · "
                            <DateTimeText at=event.created_at />
                        </p>
                    </div>
                </header>
                {event.body.map(|body| view! { <p class="event-body">{body}</p> })}
                {(!event.attachments.is_empty()).then(|| view! { <AttachmentList attachments=event.attachments /> })}
                {then_status.map(|status| view! { <p class="entry-status">{move || status_text(i18n, status, viewer)}</p> })}
            </article>
        </li>
    }
}

/// A record in one line: a status change (the last one when several followed each other), a
/// file added, a decision without words; with who did it unless Bird's records did.
#[component]
fn EntryLine(entry: Entry, viewer: Role) -> impl IntoView {
    let i18n = use_i18n();
    let Entry { event, then_status, .. } = entry;
    let author = event.author.clone();
    let text = {
        let event = event.clone();
        move || match (event.kind, then_status) {
            (EventKind::StatusChanged, Some(status)) => status_text(i18n, status, viewer),
            _ => event_title(i18n, &event, viewer),
        }
    };
    let folded = then_status.filter(|_| event.kind != EventKind::StatusChanged);
    // "Ada Lovelace added Grace Hopper" names its author already.
    let names_author = event.participant.is_some();
    view! {
        <li class="entry entry-line">
            <p>
                <span class="line-text">{text}</span>
                {(author.role != Role::System && !names_author).then(|| view! {
                    " · " <span class="entry-author">{author.name}</span>
                    " (" {move || i18n.t(labels::role(author.role))} ")"
                })}
                " · "
                <DateTimeText at=event.created_at />
                {folded.map(|status| view! { " · " {move || status_text(i18n, status, viewer)} })}
            </p>
            {(!event.attachments.is_empty()).then(|| view! { <AttachmentList attachments=event.attachments /> })}
        </li>
    }
}
