//! The closed vocabularies of incident facts (`../shared/domain/incident-facts.md`): what the web
//! form offers, what the JSON input accepts and what the check rules may name. Each term has a
//! stable name (`as_str`, the JSON value) and a translation key for its label
//! (`incident-cause-web_vulnerability` in `locales/{ja,en}/incident.ftl`).

use crate::domain::term::term;
pub use crate::domain::term::{Term, UnknownTerm};

term! {
    /// JIPDEC's types of 事故 (incident).
    Kind, "incident-kind" {
        Leak => "leak",
        Loss => "loss",
        Destruction => "destruction",
        Tampering => "tampering",
        ImproperAcquisition => "improper_acquisition",
        BeyondPurpose => "beyond_purpose",
        Misuse => "misuse",
        RequestRefused => "request_refused",
    }
}

term! {
    /// How it happened.
    Cause, "incident-cause" {
        WebVulnerability => "web_vulnerability",
        UnauthorizedAccess => "unauthorized_access",
        WebSkimming => "web_skimming",
        ThirdPartyScript => "third_party_script",
        Malware => "malware",
        Ransomware => "ransomware",
        Phishing => "phishing",
        InsiderTheft => "insider_theft",
        MisdeliveryEmail => "misdelivery_email",
        MisdeliveryPost => "misdelivery_post",
        LostItem => "lost_item",
        StolenItem => "stolen_item",
        ImproperDisposal => "improper_disposal",
        Misconfiguration => "misconfiguration",
        OperationalError => "operational_error",
        RemovableMedia => "removable_media",
        UnapprovedSubcontracting => "unapproved_subcontracting",
    }
}

term! {
    /// The kinds of personal data involved.
    DataItem, "incident-data" {
        Name => "name",
        Contact => "contact",
        EmailAddress => "email_address",
        DateOfBirth => "date_of_birth",
        CreditCard => "credit_card",
        CardSecurityCode => "card_security_code",
        BankAccount => "bank_account",
        LoginCredentials => "login_credentials",
        Sensitive => "sensitive",
        MyNumber => "my_number",
        Minors => "minors",
        EmployeeData => "employee_data",
        PurchaseHistory => "purchase_history",
    }
}

term! {
    /// Who handled the data where it went wrong.
    Party, "incident-party" {
        OwnStaff => "own_staff",
        DispatchedStaff => "dispatched_staff",
        Contractor => "contractor",
        Subcontractor => "subcontractor",
        ExternalAttacker => "external_attacker",
        VendorService => "vendor_service",
        Unknown => "unknown",
    }
}

term! {
    /// Where the data was.
    System, "incident-system" {
        EcSite => "ec_site",
        WebForm => "web_form",
        Email => "email",
        FileServer => "file_server",
        Database => "database",
        CallCenter => "call_center",
        Pc => "pc",
        Smartphone => "smartphone",
        UsbMedia => "usb_media",
        Paper => "paper",
        CloudStorage => "cloud_storage",
        Postal => "postal",
    }
}

term! {
    /// Who noticed first.
    DetectedBy, "incident-detected_by" {
        Internal => "internal",
        PaymentProcessor => "payment_processor",
        Customer => "customer",
        Contractor => "contractor",
        Police => "police",
        Regulator => "regulator",
        AttackerClaim => "attacker_claim",
        ExternalReport => "external_report",
    }
}

term! {
    /// The APPI categories that make a leak reportable to the PPC (規則7条).
    Category, "incident-category" {
        /// 1: 要配慮個人情報.
        Sensitive => "sensitive",
        /// 2: possible financial damage.
        FinancialDamage => "financial_damage",
        /// 3: possible wrongful intent.
        WrongfulIntent => "wrongful_intent",
        /// 4: more than 1,000 people.
        Over1000 => "over_1000",
    }
}

term! {
    /// How urgently a flagged control should be checked. Ordered: `High` sorts first.
    Priority, "incident-priority" {
        High => "high",
        Medium => "medium",
        Low => "low",
    }
}

/// The stable names of every vocabulary with the translation-key prefix of its labels: what the
/// label files must cover.
pub fn all_label_keys() -> Vec<String> {
    fn keys<T: Term>() -> impl Iterator<Item = String> {
        T::ALL.iter().map(|t| t.label_key())
    }
    keys::<Kind>()
        .chain(keys::<Cause>())
        .chain(keys::<DataItem>())
        .chain(keys::<Party>())
        .chain(keys::<System>())
        .chain(keys::<DetectedBy>())
        .chain(keys::<Category>())
        .chain(keys::<Priority>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    fn round_trips<T: Term>() {
        for term in T::ALL {
            assert_eq!(T::parse(term.as_str()), Ok(*term));
        }
    }

    #[test]
    fn every_term_round_trips_through_its_name() {
        round_trips::<Kind>();
        round_trips::<Cause>();
        round_trips::<DataItem>();
        round_trips::<Party>();
        round_trips::<System>();
        round_trips::<DetectedBy>();
        round_trips::<Category>();
        round_trips::<Priority>();
        assert_eq!(Cause::ALL.len(), 17);
        assert_eq!(DataItem::ALL.len(), 13);
    }

    #[test]
    fn an_unknown_value_is_named_with_the_allowed_values() {
        let err = Cause::parse("hacking").unwrap_err();
        assert_eq!(err.value, "hacking");
        let message = err.to_string();
        assert!(message.starts_with("unknown value \"hacking\"; allowed: web_vulnerability, unauthorized_access,"));
        assert!(message.ends_with("unapproved_subcontracting"), "{message}");
        assert!(Kind::parse("Leak").is_err(), "names are case-sensitive");
    }

    #[test]
    fn priorities_sort_high_first() {
        let mut all = vec![Priority::Low, Priority::High, Priority::Medium];
        all.sort();
        assert_eq!(all, [Priority::High, Priority::Medium, Priority::Low]);
    }

    #[test]
    fn every_term_has_a_label_in_both_languages() {
        for key in all_label_keys() {
            for lang in Lang::ALL {
                let label = crate::i18n::text(lang, &key);
                assert_ne!(label, key, "{key} has no {lang:?} label");
            }
        }
        assert_eq!(crate::i18n::text(Lang::Ja, "incident-kind-leak"), "漏えい");
    }
}
