//! Evidence (証跡) attached to a record: what form it takes.

use crate::domain::term::term;

term! {
    /// A stored file or a link to where the evidence lives.
    EvidenceKind, "evidence-kind" {
        File => "file",
        Link => "link",
    }
}
