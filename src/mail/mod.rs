//! E-mail: composing multipart (text + HTML) messages from templates in the recipient's language,
//! and sending them through lettre, over SMTP or into a folder of .eml files (the default, so a
//! new install mails nobody by accident).

pub mod invitation;

use std::path::PathBuf;

use anyhow::{Context, bail};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;

/// `[mail]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// `file` (write .eml files) or `smtp`.
    pub transport: String,
    /// The sender, e.g. `pmark <pmark@example.jp>`.
    pub from: String,
    /// Where the file transport writes; relative paths are under the working directory.
    pub file_dir: PathBuf,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `tls` (implicit), `starttls` or `none` (loopback only).
    pub smtp_security: String,
    /// Empty for no authentication; the password comes from `PMARK_SMTP_PASSWORD`.
    pub smtp_username: String,
    /// Messages sent per minute at most (a relay's limit); 0 = as fast as the transport takes them.
    pub max_per_minute: u32,
}

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The configured transport.
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    /// # Errors
    /// A message naming the setting that is wrong.
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<(Self, Mailbox)> {
        let from: Mailbox =
            settings.from.parse().with_context(|| format!("mail.from: `{}` is not an address", settings.from))?;
        let mailer = match settings.transport.as_str() {
            "file" => {
                std::fs::create_dir_all(&settings.file_dir)
                    .with_context(|| format!("mail.file_dir: cannot create {}", settings.file_dir.display()))?;
                Mailer::File(AsyncFileTransport::new(&settings.file_dir))
            }
            "smtp" => {
                let host = settings.smtp_host.as_str();
                let mut builder = match settings.smtp_security.as_str() {
                    "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host).context("mail.smtp_host")?,
                    "starttls" => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).context("mail.smtp_host")?
                    }
                    "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                    other => bail!("mail.smtp_security: `{other}` is not tls, starttls or none"),
                }
                .port(settings.smtp_port);
                if !settings.smtp_username.is_empty() {
                    let password = std::env::var("PMARK_SMTP_PASSWORD").unwrap_or_default();
                    builder = builder.credentials(Credentials::new(settings.smtp_username.clone(), password));
                }
                Mailer::Smtp(builder.build())
            }
            other => bail!("mail.transport: `{other}` is not file or smtp"),
        };
        Ok((mailer, from))
    }

    /// Sends one message.
    ///
    /// # Errors
    /// The transport's error as text (kept in the outbox row).
    pub async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Mailer::File(file) => file.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

/// Builds a multipart/alternative message with a Message-ID; the subject is encoded (RFC 2047)
/// by lettre, so Japanese subjects arrive intact.
///
/// # Errors
/// When an address does not parse or the message cannot be built.
pub fn build(from: &Mailbox, composed: &Composed) -> anyhow::Result<Message> {
    let mut builder = Message::builder().from(from.clone()).subject(composed.subject.clone()).message_id(None);
    for to in &composed.to {
        builder = builder.to(to.parse().with_context(|| format!("recipient `{to}` is not an address"))?);
    }
    let body = MultiPart::alternative()
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(composed.text.clone()))
        .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(composed.html.clone()));
    builder.multipart(body).context("building the message")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn composed() -> Composed {
        Composed {
            to: vec!["officer@example.jp".into()],
            subject: "【pmark】Pマーク更新申請の受付期間が始まりました".into(),
            text: "申請受付期間: 2024-04-02 〜 2024-08-01".into(),
            html: "<p>申請受付期間: 2024-04-02 〜 2024-08-01</p>".into(),
        }
    }

    #[test]
    fn a_message_has_an_encoded_japanese_subject_a_message_id_and_both_parts() -> Result<(), Box<dyn std::error::Error>>
    {
        let from: Mailbox = "pmark <pmark@example.jp>".parse()?;
        let raw = String::from_utf8(build(&from, &composed())?.formatted())?;
        assert!(raw.contains("Subject: =?utf-8?b?"), "{raw}");
        assert!(raw.contains("Message-ID: <"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/plain; charset=utf-8") && raw.contains("text/html; charset=utf-8"), "{raw}");
        assert!(build(&from, &Composed { to: vec!["not an address".into()], ..composed() }).is_err());
        Ok(())
    }

    #[tokio::test]
    async fn the_file_transport_writes_a_parseable_eml() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let settings = MailSettings {
            transport: "file".into(),
            from: "pmark <pmark@example.jp>".into(),
            file_dir: dir.path().to_path_buf(),
            smtp_host: String::new(),
            smtp_port: 25,
            smtp_security: "none".into(),
            smtp_username: String::new(),
            max_per_minute: 0,
        };
        let (mailer, from) = Mailer::from_settings(&settings)?;
        mailer.send(build(&from, &composed())?).await?;
        let files: Vec<_> = std::fs::read_dir(dir.path())?.flatten().collect();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path().extension().and_then(|e| e.to_str()), Some("eml"));
        let raw = std::fs::read_to_string(files[0].path())?;
        assert!(raw.contains("To: officer@example.jp"), "{raw}");
        assert!(raw.contains("multipart/alternative"));
        let bad = MailSettings { transport: "pigeon".into(), ..settings };
        assert!(Mailer::from_settings(&bad).err().map(|e| e.to_string()).is_some_and(|m| m.contains("mail.transport")));
        Ok(())
    }
}
