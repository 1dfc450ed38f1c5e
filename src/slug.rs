//! Readable, stable URL parts: lower-case ASCII with å/ä/ö folded (`Ärendet` → `arendet`).

pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for character in ascii.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn folds_swedish_letters_and_punctuation() {
        assert_eq!(slugify("Generella statsbidrag"), "generella-statsbidrag");
        assert_eq!(slugify("Ärendet – Hässelby-Vällingby, Öst!"), "arendet-hasselby-vallingby-ost");
        assert_eq!(slugify("  "), "");
    }
}
