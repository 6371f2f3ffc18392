//! A real SMTP server on loopback inside the test (mailin-embedded), receiving what pmark's
//! reminder pass sends through lettre's SMTP transport.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use mailin_embedded::{Handler, Response, Server, response};
use pmark::jobs::pass::{Pace, run_once, send_pending};
use pmark::mail::Mailer;

use crate::helpers::{TestApp, spawn_app};

/// Every message the server accepted, as received.
#[derive(Clone, Default)]
struct Inbox {
    messages: Arc<Mutex<Vec<String>>>,
    current: Vec<u8>,
    /// How long the server takes to accept each message (a slow relay).
    delay: std::time::Duration,
}

impl Handler for Inbox {
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        std::thread::sleep(self.delay);
        let message = String::from_utf8_lossy(&std::mem::take(&mut self.current)).to_string();
        if let Ok(mut messages) = self.messages.lock() {
            messages.push(message);
        }
        response::OK
    }
}

/// Starts an SMTP server on a free loopback port; returns the port and the inbox.
fn start_smtp() -> (u16, Arc<Mutex<Vec<String>>>) {
    start_smtp_taking(std::time::Duration::ZERO)
}

/// Starts an SMTP server that takes `delay` to accept each message.
fn start_smtp_taking(delay: std::time::Duration) -> (u16, Arc<Mutex<Vec<String>>>) {
    let inbox = Inbox { delay, ..Inbox::default() };
    let messages = inbox.messages.clone();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut server = Server::new(inbox);
        server.with_name("test.smtp").with_tcp_listener(listener);
        if let Err(e) = server.serve() {
            eprintln!("test SMTP server stopped: {e}");
        }
    });
    (port, messages)
}

fn smtp_mailer(app: &TestApp, port: u16) -> (Mailer, lettre::message::Mailbox) {
    let mut settings = app.settings.mail.clone();
    settings.transport = "smtp".into();
    settings.smtp_host = "127.0.0.1".into();
    settings.smtp_port = port;
    settings.smtp_security = "none".into();
    Mailer::from_settings(&settings).unwrap()
}

#[tokio::test]
async fn a_due_reminder_is_delivered_over_smtp_once_with_its_subject_and_language() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    app.certify_with_window_open(org).await;
    let (port, messages) = start_smtp();
    let (mailer, from) = smtp_mailer(&app, port);
    let now = Utc::now();
    let report = run_once(&app.db, &app.settings, &app.address, &mailer, &from, "a", now).await.unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let received = messages.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    assert!(received[0].contains("To: admin@example.jp"), "{}", received[0]);
    assert!(received[0].contains("Subject: =?utf-8?b?"), "a Japanese subject, encoded");
    assert!(received[0].contains("Message-ID: <"));
    assert!(received[0].contains("multipart/alternative"));
    // A second pass (or a restarted instance) delivers nothing more.
    let (mailer, from) = smtp_mailer(&app, port);
    run_once(&app.db, &app.settings, &app.address, &mailer, &from, "b", now + chrono::Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(messages.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn two_instances_on_one_database_deliver_each_reminder_once() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    app.certify_with_window_open(org).await;
    let (port, messages) = start_smtp();
    let other_db = pmark::store::connect(&app.settings.database).await.unwrap();
    let (mailer_a, from_a) = smtp_mailer(&app, port);
    let (mailer_b, from_b) = smtp_mailer(&app, port);
    let now = Utc::now();
    let (a, b) = tokio::join!(
        run_once(&app.db, &app.settings, &app.address, &mailer_a, &from_a, "instance-a", now),
        run_once(&other_db, &app.settings, &app.address, &mailer_b, &from_b, "instance-b", now),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 1, "{a:?} {b:?}");
    assert_eq!(messages.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn with_a_relay_slower_than_the_lease_two_senders_deliver_each_message_once() {
    use pmark::store::outbox::{NewMessage, enqueue};
    let app = spawn_app().await;
    let rows = 4;
    for i in 1..=rows {
        let message = NewMessage {
            organisation_id: None,
            dedupe_key: format!("slow-relay-{i}"),
            kind: pmark::domain::outbox::MessageKind::Test,
            recipients: vec![format!("person{i}@example.jp")],
            lang: pmark::domain::Lang::Ja,
            subject: format!("slow-relay-{i}"),
            body_text: "text".into(),
            body_html: "<p>html</p>".into(),
            skip_reason: None,
        };
        assert!(enqueue(&app.db, message, Utc::now()).await.unwrap());
    }
    // Each message takes 0.7 s and a claim lasts 1.5 s: by the time the second instance looks,
    // the first has claimed every row but sent only some, and its claims on the rest have run out.
    let (port, messages) = start_smtp_taking(std::time::Duration::from_millis(700));
    let other_db = pmark::store::connect(&app.settings.database).await.unwrap();
    let (mailer_a, from_a) = smtp_mailer(&app, port);
    let (mailer_b, from_b) = smtp_mailer(&app, port);
    let lease = chrono::Duration::milliseconds(1500);
    let first = send_pending(&app.db, &mailer_a, &from_a, "instance-a", Utc::now(), lease, Pace::UNLIMITED);
    let second = async {
        tokio::time::sleep(std::time::Duration::from_millis(1800)).await;
        send_pending(&other_db, &mailer_b, &from_b, "instance-b", Utc::now(), lease, Pace::UNLIMITED).await
    };
    let (a, b) = tokio::join!(first, second);
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.0 + b.0, rows, "sent by a and b: {a:?} {b:?}");
    let received = messages.lock().unwrap().clone();
    for i in 1..=rows {
        let subject = format!("Subject: slow-relay-{i}\r\n");
        let copies = received.iter().filter(|m| m.contains(&subject)).count();
        assert_eq!(copies, 1, "message {i} delivered {copies} times");
    }
}

/// The bytes of standard base64 `text` (whitespace ignored).
fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace() && *b != b'=') {
        let Some(value) = ALPHABET.iter().position(|a| *a == byte) else { continue };
        buffer = (buffer << 6) | u32::try_from(value).unwrap();
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).unwrap());
        }
    }
    out
}

/// A received message with its encoded subject and base64 parts decoded, and the soft line
/// breaks of its quoted-printable parts joined (enough to read an ASCII link).
fn readable(raw: &str) -> String {
    let mut text = raw.replace("=\r\n", "");
    // The subject's encoded words, joined (the folding between them is not part of the text).
    let mut subject = Vec::new();
    for (start, _) in raw.match_indices("=?utf-8?b?") {
        if let Some(len) = raw[start + 10..].find("?=") {
            subject.extend(base64(&raw[start + 10..start + 10 + len]));
        }
    }
    text.push_str(&String::from_utf8_lossy(&subject));
    text.push('\n');
    for part in raw.split("Content-Transfer-Encoding: base64").skip(1) {
        let body = part.trim_start().split("\r\n--").next().unwrap_or_default();
        text.push_str(&String::from_utf8_lossy(&base64(body)));
    }
    text
}

#[tokio::test]
async fn an_invitation_is_mailed_over_smtp_in_the_invitees_language_with_its_link() {
    use pmark::domain::Role;
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    // Someone with an account already, who reads pmark in English.
    let existing = app.add_member(None, Role::Viewer, "existing@example.jp").await;
    let profile = [("display_name", "Existing"), ("lang", "en")];
    assert_eq!(app.post_form(&existing.client, "/account/profile", &profile).await.status(), 303);

    let mut links = Vec::new();
    for email in ["new@example.jp", "existing@example.jp"] {
        let invited = app
            .post_form(&app.client, &format!("/orgs/{org}/invitations"), &[("email", email), ("role", "officer")])
            .await;
        assert_eq!(invited.status(), 303);
        // The link is still shown once on the page.
        let page = app.get(&app.client, &format!("/orgs/{org}/members")).await.text().await.unwrap();
        let flash = crate::helpers::texts(&page, ".flash-success").join(" ");
        let link = flash.split_whitespace().find(|w| w.contains("/invitations/")).unwrap().to_owned();
        links.push(link);
    }

    let (port, messages) = start_smtp();
    let (mailer, from) = smtp_mailer(&app, port);
    let lease = chrono::Duration::seconds(60);
    let (sent, _) = send_pending(&app.db, &mailer, &from, "a", Utc::now(), lease, Pace::UNLIMITED).await.unwrap();
    assert_eq!(sent, 2);
    let received = messages.lock().unwrap().clone();
    let to = |address: &str| readable(received.iter().find(|m| m.contains(&format!("To: {address}"))).unwrap());
    let new = to("new@example.jp");
    assert!(
        new.contains("【pmark】株式会社ジモス検証：メンバーへの招待"),
        "the inviter's language when unknown: {new}"
    );
    assert!(new.contains(&links[0]), "the link: {new}");
    let existing = to("existing@example.jp");
    assert!(existing.contains("Subject: [pmark] Invitation to "), "the invitee's language: {existing}");
    assert!(existing.contains("株式会社ジモス検証"), "{existing}");
    assert!(existing.contains(&links[1]) && existing.contains("Role: Officer"), "{existing}");

    // Once per invitation: a later pass sends nothing more.
    send_pending(&app.db, &mailer, &from, "b", Utc::now(), lease, Pace::UNLIMITED).await.unwrap();
    assert_eq!(messages.lock().unwrap().len(), 2);
}
