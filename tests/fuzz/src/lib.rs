//! Helpers shared by the fuzz targets: a scratch site on disk, TOML string quoting, and
//! a checker for what sanitised HTML must never contain.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A scratch folder for this fuzzing process, made once and reused by every run (the
/// targets overwrite their files each time). Under /dev/shm when it exists: no disk I/O.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        // Fork mode (-fork, -jobs) starts many processes: remove the folders of the
        // ones that have ended.
        if let Ok(entries) = std::fs::read_dir(&base) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(pid) = name.strip_prefix("remiss-fuzz-")
                    && pid.parse::<u32>().is_ok()
                    && !Path::new("/proc").join(pid).exists()
                {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = base.join(format!("remiss-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    })
}

/// Writes `bytes` to `root/relative`, making its folders.
pub fn write(root: &Path, relative: &str, bytes: &[u8]) {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("scratch folder");
    }
    std::fs::write(path, bytes).expect("scratch file");
}

/// `text` as a TOML basic string, every control character escaped.
pub fn toml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// What a sanitised page must never hold: a `<script>` (or other script-running)
/// element, an event-handler attribute, or a script URL in a link or source attribute.
/// Returns the first offence found. Every `<` in the output of the Markdown renderer is
/// markup (text is escaped), so a small tag scanner is enough.
pub fn unsafe_html(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script") {
        return Some("a <script> element".to_owned());
    }
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(found) = lower[i..].find('<') {
        let start = i + found;
        let mut j = start + 1;
        if j < bytes.len() && bytes[j] == b'/' {
            i = j;
            continue;
        }
        let name_start = j;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        let name = &lower[name_start..j];
        if name.is_empty() {
            i = start + 1;
            continue;
        }
        if matches!(name, "iframe" | "object" | "embed" | "frame" | "frameset" | "base" | "meta" | "link" | "style" | "svg" | "math" | "form") {
            return Some(format!("a <{name}> element"));
        }
        // Attributes up to the closing `>`.
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let attr_start = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            let attr = &lower[attr_start..j];
            let mut value = String::new();
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let quote = bytes[j];
                    let value_start = j + 1;
                    j = value_start;
                    while j < bytes.len() && bytes[j] != quote {
                        j += 1;
                    }
                    value = lower[value_start..j.min(bytes.len())].to_owned();
                    j += 1;
                } else {
                    let value_start = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = lower[value_start..j].to_owned();
                }
            }
            if attr.starts_with("on") && attr.len() > 2 {
                return Some(format!("an event handler `{attr}` on <{name}>"));
            }
            if matches!(attr, "href" | "src" | "action" | "formaction" | "xlink:href" | "srcset" | "poster" | "data" | "background") {
                let url: String = decode_entities(&value)
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:"] {
                    if url.starts_with(scheme) {
                        return Some(format!("a `{scheme}` URL in {attr} of <{name}>"));
                    }
                }
            }
        }
        i = j.min(bytes.len());
        if i >= bytes.len() {
            break;
        }
    }
    None
}

/// Decodes the character references a browser would decode in an attribute value.
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(|c: char| !c.is_ascii_alphanumeric() && c != '#').map_or(rest.len(), |i| i + 1);
        let name = &rest[1..end];
        let decoded = if let Some(hex) = name.strip_prefix("#x") {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(decimal) = name.strip_prefix('#') {
            decimal.parse::<u32>().ok().and_then(char::from_u32)
        } else {
            match name {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_a_sanitiser_must_remove() {
        assert!(unsafe_html("<p>on=1 javascript: &lt;script</p>").is_none());
        assert!(unsafe_html("<a href=\"/x\" class=\"on\">y</a>").is_none());
        assert!(unsafe_html("<SCRIPT>").is_some());
        assert!(unsafe_html("<img src=x onerror=alert(1)>").is_some());
        assert!(unsafe_html("<a href=\"javascript:alert(1)\">").is_some());
        assert!(unsafe_html("<a href=\" java&#x09;script&colon;alert(1)\">").is_some());
        assert!(unsafe_html("<h1 id=\"x\" onclick=\"y\">").is_some());
    }
}
