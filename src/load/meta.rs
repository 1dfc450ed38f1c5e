//! The front matter of each kind of content file, exactly as editors write it.
//! `docs/content-model.md` documents these fields; keep the two in step.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use toml::Spanned;

/// A calendar date (`2018-10-31` in TOML), without a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let datetime = toml::value::Datetime::deserialize(deserializer)?;
        match (datetime.date, datetime.time) {
            (Some(date), None) => Ok(Date { year: date.year, month: date.month, day: date.day }),
            _ => Err(serde::de::Error::custom(format!(
                "expected a date such as 2018-10-31, found `{datetime}`"
            ))),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

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

/// What a text of only invisible characters (zero-width spaces, soft hyphens …) is told.
pub const INVISIBLE_ONLY: &str = "the text holds only invisible characters";

/// What a link field that breaks [`crate::markdown::is_safe_url`] is told.
pub const UNSAFE_LINK: &str = "is not a link remiss publishes";
pub const LINK_HELP: &str =
    "a link starts with http:// or https:// (or mailto: or tel:), or is a path in the site such as /forslag/";

/// A link written in a field: it goes through the rule every Markdown link goes
/// through, so that no field can publish a script.
pub(crate) fn link<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let url = String::deserialize(deserializer)?;
    if !crate::markdown::is_safe_url(&url) {
        return Err(serde::de::Error::custom(format!("`{url}` {UNSAFE_LINK}")));
    }
    Ok(url)
}

fn optional_link<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    link(deserializer).map(Some)
}

/// A body's position on a proposal: a closed vocabulary, so that positions can be
/// counted and compared across bodies. Editors may write it as the English code or as
/// the Swedish word the site shows (see [`Stance::parse`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    Supports,
    Partly,
    NoObjection,
    Doubtful,
    Opposes,
}

impl Stance {
    pub const ALL: [Stance; 5] =
        [Stance::Supports, Stance::Partly, Stance::NoObjection, Stance::Doubtful, Stance::Opposes];

    /// The key used in data files, CSS classes and the UI strings' `stance` table.
    pub fn key(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Partly => "partly",
            Stance::NoObjection => "no-objection",
            Stance::Doubtful => "doubtful",
            Stance::Opposes => "opposes",
        }
    }

    /// The Swedish word for the stance, as remissvar and government bills write it.
    pub fn swedish(self) -> &'static str {
        match self {
            Stance::Supports => "tillstyrker",
            Stance::Partly => "tillstyrker delvis",
            Stance::NoObjection => "inga invändningar",
            Stance::Doubtful => "tveksam",
            Stance::Opposes => "avstyrker",
        }
    }

    /// Reads a stance written as the English code or the Swedish word, in any case and
    /// with any spacing (`Tillstyrker  delvis`, `no_objection`): the site shows the
    /// Swedish words, so editors write them.
    pub fn parse(written: &str) -> Option<Stance> {
        // The URL slug is the same comparison: case, spacing, hyphens and å/ä/ö folded.
        let written = crate::slug::slugify(written);
        Stance::ALL
            .into_iter()
            .find(|stance| written == stance.key() || written == stance.slug())
    }

    /// The stance's part of its page's URL: its Swedish word, as every URL of the site
    /// is Swedish, whatever language the UI is in (`tillstyrker-delvis`).
    pub fn slug(self) -> String {
        crate::slug::slugify(self.swedish())
    }

    /// Every way a stance may be written, for "did you mean" and help texts.
    pub fn accepted_words() -> impl Iterator<Item = &'static str> {
        Stance::ALL.into_iter().flat_map(|stance| [stance.key(), stance.swedish()])
    }
}

/// The start of the message for a stance that is none of the accepted words; the help
/// (see `front_matter::help_for`) lists them.
pub const UNKNOWN_STANCE: &str = "unknown stance";

impl<'de> Deserialize<'de> for Stance {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Stance, D::Error> {
        let written = String::deserialize(deserializer)?;
        Stance::parse(&written).ok_or_else(|| serde::de::Error::custom(format!("{UNKNOWN_STANCE} `{written}`")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProposalKind {
    /// "ska": something the delegation says shall be done.
    Forslag,
    /// "bör": advice.
    Rekommendation,
}

impl ProposalKind {
    pub fn key(self) -> &'static str {
        match self {
            ProposalKind::Forslag => "forslag",
            ProposalKind::Rekommendation => "rekommendation",
        }
    }
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

#[derive(Debug, Clone, Deserialize, Serialize)]
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
