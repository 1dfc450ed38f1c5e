//! The front matter of each kind of content file, exactly as editors write it.
//! `docs/content-model.md` documents these fields; keep the two in step.

use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

pub use crate::vocabulary::{Date, INVISIBLE_ONLY, LINK_HELP, ProposalKind, Stance, UNKNOWN_STANCE, UNSAFE_LINK, link};

/// Text that must say something: a title of spaces would make an empty heading and
/// empty links.
fn non_blank<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if text.trim().is_empty() {
        return Err(serde::de::Error::custom("the text is empty"));
    }
    if crate::markdown::is_blank(&text) {
        return Err(serde::de::Error::custom(INVISIBLE_ONLY));
    }
    Ok(text)
}

fn optional_link<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    link(deserializer).map(Some)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsultationMeta {
    #[serde(deserialize_with = "non_blank")]
    pub title: String,
    #[serde(deserialize_with = "non_blank")]
    pub issuer: String,
    pub deadline: Date,
    /// The day the consultation was sent out: an archive lists it as coming before that.
    #[serde(default)]
    pub sent: Option<Date>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub documents: Vec<ReferralDocument>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralDocument {
    #[serde(deserialize_with = "non_blank")]
    pub title: String,
    pub reference: String,
    #[serde(default, deserialize_with = "optional_link")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaMeta {
    #[serde(deserialize_with = "non_blank")]
    pub title: String,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub reports: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalMeta {
    #[serde(deserialize_with = "non_blank")]
    pub title: String,
    pub kind: ProposalKind,
    #[serde(default)]
    pub addressees: Vec<String>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub report: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub changes: Vec<ChangeMeta>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementMeta {
    #[serde(deserialize_with = "non_blank")]
    pub title: String,
    #[serde(deserialize_with = "non_blank")]
    pub organisation: String,
    /// The decision date; some documents, such as a protocol extract, do not print one.
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(deserialize_with = "non_blank")]
    pub reference: String,
    #[serde(default)]
    pub decision: Option<String>,
    /// The date of the last correction to the published text, if any.
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub prepared: Option<Date>,
    #[serde(default)]
    pub prepared_by: Option<String>,
    #[serde(default)]
    pub minutes: Option<String>,
    #[serde(default)]
    pub joint_with: Vec<String>,
    #[serde(default)]
    pub signed_by: Vec<String>,
    #[serde(default)]
    pub part_of: Option<Spanned<String>>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub overall: Option<Stance>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub positions: Vec<Spanned<PositionMeta>>,
    /// Stances on an area as a whole, where the body spoke of the area, not of each proposal.
    #[serde(default)]
    pub area_positions: Vec<Spanned<AreaPositionMeta>>,
    /// The day the statement was published on the site: dates its feed entry when it
    /// has no decision date.
    #[serde(default)]
    pub published: Option<Date>,
    #[serde(default)]
    pub changes: Vec<ChangeMeta>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionMeta {
    pub proposal: Spanned<String>,
    pub stance: Stance,
    pub quote: Spanned<String>,
    /// Proposed by `remiss import`, not yet confirmed by an editor (the preview's review
    /// list accepts or rejects it): never published.
    #[serde(default)]
    pub suggested: bool,
    /// How sure the suggestion is, from 0 to 1; only for a suggested position.
    #[serde(default)]
    pub confidence: Option<Spanned<f64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaPositionMeta {
    pub area: Spanned<String>,
    pub stance: Stance,
    pub quote: Spanned<String>,
    #[serde(default)]
    pub suggested: bool,
    #[serde(default)]
    pub confidence: Option<Spanned<f64>>,
}

/// A correction to published content: when, and what was corrected.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeMeta {
    pub date: Date,
    #[serde(deserialize_with = "non_blank")]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeta {
    #[serde(deserialize_with = "non_blank")]
    pub title: String,
    pub date: Date,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub changes: Vec<ChangeMeta>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    #[serde(deserialize_with = "non_blank")]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub changes: Vec<ChangeMeta>,
}

#[cfg(test)]
mod tests {
    use super::Stance;

    #[test]
    fn stances_are_read_in_swedish_and_english() {
        // Issue 12 §4: `tillstyrker` was refused, though the site itself shows it.
        for (written, stance) in [
            ("supports", Stance::Supports),
            ("Tillstyrker", Stance::Supports),
            ("tillstyrker  delvis", Stance::Partly),
            ("TILLSTYRKER-DELVIS", Stance::Partly),
            ("inga invändningar", Stance::NoObjection),
            ("Inga invandningar", Stance::NoObjection),
            ("no_objection", Stance::NoObjection),
            (" tveksam ", Stance::Doubtful),
            ("avstyrker", Stance::Opposes),
            ("opposes", Stance::Opposes),
        ] {
            assert_eq!(Stance::parse(written), Some(stance), "{written}");
        }
        assert_eq!(Stance::parse("tillstyrker inte"), None);
        assert_eq!(Stance::parse(""), None);
    }
}
