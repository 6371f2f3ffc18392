//! The domain's closed sets (`domain::term::Term`) stored as their stable names in text columns,
//! so that entity columns carry the type: a value the domain does not know is a database error
//! naming it, never a silent default.

use crate::domain::Lang;
use crate::domain::Role;
use crate::domain::certification::{CertificationStatus, ExaminationBody};
use crate::domain::control::ControlStatus;
use crate::domain::corrective_action::ActionStatus;
use crate::domain::duties::RecordKind;
use crate::domain::evidence::EvidenceKind;
use crate::domain::incident::filings::Track;
use crate::domain::incident::vocabulary::Priority;
use crate::domain::incident::{CheckState, IncidentStatus, TimelineKind};
use crate::domain::lang::DateStyle;
use crate::domain::outbox::{MessageKind, OutboxState};
use crate::domain::people::EmploymentType;
use crate::domain::pms_year::Frequency;
use crate::domain::term::{Term, UnknownTerm};

/// What a stored name that is not in its set fails with.
#[derive(Debug, thiserror::Error)]
#[error("{column}: {source}")]
struct StoredTermError {
    column: &'static str,
    source: UnknownTerm,
}

fn parse_stored<T: Term>(text: &str) -> Result<T, StoredTermError> {
    T::parse(text).map_err(|source| StoredTermError { column: std::any::type_name::<T>(), source })
}

macro_rules! stored_as_text {
    ($($name:ty),+ $(,)?) => {$(
        impl From<$name> for sea_orm::Value {
            fn from(value: $name) -> Self {
                Term::as_str(value).into()
            }
        }

        impl sea_orm::TryGetable for $name {
            fn try_get_by<I: sea_orm::ColIdx>(res: &sea_orm::QueryResult, idx: I) -> Result<Self, sea_orm::TryGetError> {
                let text = String::try_get_by(res, idx)?;
                parse_stored::<$name>(&text).map_err(|err| {
                    sea_orm::TryGetError::DbErr(sea_orm::DbErr::TryIntoErr {
                        from: "String",
                        into: stringify!($name),
                        source: std::sync::Arc::new(err),
                    })
                })
            }
        }

        impl sea_orm::sea_query::ValueType for $name {
            fn try_from(value: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
                let text = <String as sea_orm::sea_query::ValueType>::try_from(value)?;
                <$name as Term>::parse(&text).map_err(|_| sea_orm::sea_query::ValueTypeErr)
            }

            fn type_name() -> String {
                stringify!($name).to_owned()
            }

            fn array_type() -> sea_orm::sea_query::ArrayType {
                sea_orm::sea_query::ArrayType::String
            }

            fn column_type() -> sea_orm::sea_query::ColumnType {
                sea_orm::sea_query::ColumnType::String(sea_orm::sea_query::StringLen::None)
            }
        }

        impl sea_orm::sea_query::Nullable for $name {
            fn null() -> sea_orm::Value {
                sea_orm::Value::String(None)
            }
        }

        impl sea_orm::IntoActiveValue<$name> for $name {
            fn into_active_value(self) -> sea_orm::ActiveValue<$name> {
                sea_orm::ActiveValue::Set(self)
            }
        }
    )+};
}

stored_as_text!(
    DateStyle,
    ActionStatus,
    CertificationStatus,
    ControlStatus,
    EmploymentType,
    EvidenceKind,
    ExaminationBody,
    Frequency,
    IncidentStatus,
    Lang,
    MessageKind,
    OutboxState,
    Priority,
    RecordKind,
    CheckState,
    Role,
    TimelineKind,
    Track,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::people::PmsRole;
    use crate::domain::training::Topic;

    fn labelled<T: Term>() {
        for value in T::ALL {
            for lang in Lang::ALL {
                let key = value.label_key();
                assert_ne!(crate::i18n::text(lang, &key), key, "{key} has no {lang:?} label");
            }
            assert_eq!(T::parse(value.as_str()).ok(), Some(*value));
        }
    }

    #[test]
    fn every_stored_closed_value_round_trips_and_has_a_label_in_both_languages() {
        labelled::<ActionStatus>();
        labelled::<CertificationStatus>();
        labelled::<ControlStatus>();
        labelled::<EvidenceKind>();
        labelled::<ExaminationBody>();
        labelled::<Frequency>();
        labelled::<IncidentStatus>();
        labelled::<Lang>();
        labelled::<MessageKind>();
        labelled::<OutboxState>();
        labelled::<Priority>();
        labelled::<RecordKind>();
        labelled::<CheckState>();
        labelled::<Role>();
        labelled::<TimelineKind>();
        labelled::<Track>();
        labelled::<EmploymentType>();
        labelled::<PmsRole>();
        labelled::<Topic>();
    }

    #[test]
    fn a_stored_name_the_domain_does_not_know_is_an_error_naming_it() {
        let err = parse_stored::<ActionStatus>("finished").unwrap_err();
        assert!(err.to_string().contains("unknown value \"finished\"; allowed: open, done"), "{err}");
    }
}
