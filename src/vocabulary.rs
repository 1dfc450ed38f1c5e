//! The content model's shared vocabulary: the words that `config`, `load`, `model`,
//! `render` and the editing code all speak (dates, stances, kinds of proposal, links),
//! kept below them all so that none of them has to reach into another for it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// What a value `remiss import` could not find is written as (Swedish: "fill in"). The
/// load stage looks for it: a warning in a draft, an error in a published statement.
pub const PLACEHOLDER: &str = "FYLL I";

/// What a text of only invisible characters (zero-width spaces, soft hyphens …) is told.
pub const INVISIBLE_ONLY: &str = "the text holds only invisible characters";

/// What a link field that breaks [`crate::markdown::is_safe_url`] is told.
pub const UNSAFE_LINK: &str = "is not a link remiss publishes";
pub const LINK_HELP: &str =
    "a link starts with http:// or https:// (or mailto: or tel:), or is a path in the site such as /forslag/";

/// A link written in a field: it goes through the rule every Markdown link goes
/// through, so that no field can publish a script.
pub fn link<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let url = String::deserialize(deserializer)?;
    if !crate::markdown::is_safe_url(&url) {
        return Err(serde::de::Error::custom(format!("`{url}` {UNSAFE_LINK}")));
    }
    Ok(url)
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
/// (see `parse::help_for`) lists them.
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
