//! Arbitrary Markdown rendered as a statement's text is: sanitised, with and without a
//! quoted passage marked. Never a panic; the sanitised HTML never holds a script, an
//! event handler or a script URL (see `remiss_fuzz::unsafe_html`).
//!
//! Input: two bytes `a` and `b` choose the marked passages (`a..a+b+1`, within the
//! passages there are) and where the quote starts and ends in them (offsets that may
//! fall inside a character or past the text), the rest is the Markdown (invalid UTF-8
//! replaced).
#![no_main]

use libfuzzer_sys::fuzz_target;
use remiss::markdown::{Mark, RawHtml, passages, render};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (a, b) = (data[0] as usize, data[1] as usize);
    let text = String::from_utf8_lossy(&data[2..]);

    let plain = render(&text, &[], RawHtml::Sanitise);
    if let Some(offence) = remiss_fuzz::unsafe_html(&plain.html) {
        panic!("sanitised HTML holds {offence}:\n{}", plain.html);
    }

    let count = passages(&text).len();
    if count > 0 {
        let start = a % count;
        let end = start + 1 + b % (count - start);
        // What remiss itself puts in a mark: an id from a proposal's file name and a note
        // of its own HTML.
        let marks = [Mark {
            blocks: start..end,
            // Offsets past a block's text, or inside a word, must not break the markup.
            start: a % 7,
            end: if b % 2 == 0 { usize::MAX } else { b % 11 },
            id: "svar-forslag".to_owned(),
            label: "Citerat: ".to_owned(),
            note: "<p class=\"passage-note\"><a href=\"/forslag/forslag/\">Förslag</a></p>".to_owned(),
        }];
        let marked = render(&text, &marks, RawHtml::Sanitise);
        if let Some(offence) = remiss_fuzz::unsafe_html(&marked.html) {
            panic!("sanitised HTML with a mark holds {offence}:\n{}", marked.html);
        }
        // The anchor must stay an element's id (not vanish, nor end up as escaped text).
        assert!(marked.html.contains("id=\"svar-forslag\""), "the marked passage {start}..{end} of {count} lost its anchor:\n{}", marked.html);
    }

    // Trusted HTML is kept as written: only check that it renders.
    let _ = render(&text, &[], RawHtml::Trust);
});
