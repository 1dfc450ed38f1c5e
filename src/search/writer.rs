//! The index in Pagefind 1.6.0's file format (its `src/index/`, `src/output/`), read by
//! the Pagefind script and WebAssembly of that same version, which the site ships:
//!
//! - `pagefind-entry.json`: the version, and per language the metadata file's hash;
//! - `pagefind.<lang>_<hash>.pf_meta`: every page's fragment hash and word count, and
//!   the word range each index chunk covers;
//! - `index/<lang>_<hash>.pf_index`: chunks of the inverted index, words in order, each
//!   with its pages and positions (weights inlined), and its spellings with diacritics;
//! - `fragment/<lang>_<hash>.pf_fragment`: a page's URL, title, text and anchors (JSON).
//!
//! Binary files are CBOR (minicbor, arrays of fields as Pagefind derives them), and
//! every file but the entry is gzip-compressed with `pagefind_dcd` before its bytes, as
//! the script expects. The format is not a public contract: docs/SEARCH.md pins the
//! version, and a test decodes this index and one Pagefind writes and compares them.
//!
//! Unlike Pagefind, every step runs in parallel, each distinct word is stemmed once, and
//! gzip runs at its default level: Pagefind's `best` made the N = 2,000 index 0.3 %
//! smaller (9.66 against 9.69 MB) at several times the cost.
//!
//! An [`Index`] keeps what it wrote last, so that `remiss serve` makes the next index
//! from what an edit changed: only new or changed records are read and their new words
//! stemmed, only the chunks holding a word whose postings changed are encoded again,
//! and a file whose bytes are as before is not compressed again. Writing into an empty
//! `Index` is the full build: one code path, so both write the same bytes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::ops::Range;
use std::sync::Arc;

use flate2::Compression;
use flate2::write::GzEncoder;
use minicbor::Encode;
use rayon::prelude::*;
use serde::Serialize;
use sha1::{Digest, Sha1};

use super::records::Record;
use super::words::{self, Indexable};

/// The Pagefind version whose browser half reads this format.
pub const PAGEFIND_VERSION: &str = "1.6.0";

/// Pagefind's default: a chunk closes once it holds this many positions.
const CHUNK_SIZE: usize = 20_000;

/// What Pagefind puts before the bytes of every compressed file.
const SIGNATURE: &[u8] = b"pagefind_dcd";

#[derive(Encode)]
struct WordIndex<'a> {
    #[n(0)]
    words: Vec<&'a PackedWord<'a>>,
}

/// A word's postings, borrowed from the pages' (CBOR writes a slice as it writes a vector).
#[derive(Encode)]
struct PackedWord<'a> {
    #[n(0)]
    word: &'a str,
    #[n(1)]
    pages: Vec<PackedPage<'a>>,
    #[n(2)]
    additional_variants: Vec<PackedVariant<'a>>,
}

#[derive(Encode)]
struct PackedVariant<'a> {
    #[n(0)]
    form: &'a str,
    #[n(1)]
    pages: Vec<PackedPage<'a>>,
}

#[derive(Encode, Clone, Copy)]
struct PackedPage<'a> {
    #[n(0)]
    page_number: usize,
    #[n(1)]
    locs: &'a [i32],
    #[n(2)]
    meta_locs: &'a [i32],
}

#[derive(Encode)]
struct MetaIndex {
    #[n(0)]
    version: String,
    #[n(1)]
    pages: Vec<MetaPage>,
    #[n(2)]
    index_chunks: Vec<MetaChunk>,
    #[n(3)]
    filters: Vec<MetaFilter>,
    #[n(4)]
    sorts: Vec<MetaSort>,
    #[n(5)]
    meta_fields: Vec<String>,
}

#[derive(Encode)]
struct MetaChunk {
    #[n(0)]
    from: String,
    #[n(1)]
    to: String,
    #[n(2)]
    hash: String,
}

#[derive(Encode)]
struct MetaPage {
    #[n(0)]
    hash: String,
    #[n(1)]
    word_count: u32,
    #[n(2)]
    group_hash: String,
}

#[derive(Encode)]
struct MetaFilter {
    #[n(0)]
    filter: String,
    #[n(1)]
    hash: String,
}

#[derive(Encode)]
struct MetaSort {
    #[n(0)]
    sort: String,
    #[n(1)]
    pages: Vec<usize>,
}

#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: BTreeMap<String, Vec<String>>,
    meta: BTreeMap<&'static str, &'a str>,
    anchors: Vec<FragmentAnchor<'a>>,
}

#[derive(Serialize)]
struct FragmentAnchor<'a> {
    element: &'a str,
    id: &'a str,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    location: u32,
}

#[derive(Serialize)]
struct Entry<'a> {
    version: &'a str,
    languages: BTreeMap<&'a str, EntryLanguage<'a>>,
    include_characters: Vec<char>,
}

#[derive(Serialize)]
struct EntryLanguage<'a> {
    hash: &'a str,
    wasm: Option<&'a str>,
    page_count: usize,
}

/// A page's text as Pagefind reads it: blocks joined, each ended as a sentence.
struct Text {
    content: String,
    /// Where each block starts, in words.
    starts: Vec<u32>,
}

/// A position of a word on a page, with its weight.
type Located = (u32, u8);

/// A stem or a spelling, by its number in [`Words`].
type WordId = u32;

/// A word on a page: stem, spelling, whether in the title, position, weight.
type Occurrence = (WordId, WordId, bool, u32, u8);

/// Marks a posting of the stem itself, not of a spelling with diacritics.
const PLAIN: WordId = WordId::MAX;

/// One form of a run of text: its stem, its spelling with diacritics (or [`PLAIN`]),
/// and whether it is a part of a compound word.
#[derive(Clone, Copy)]
struct Form {
    stem: WordId,
    spelling: WordId,
    part: bool,
}

/// Every distinct run of text, split, folded and stemmed once; stems and spellings
/// numbered, so that a page's postings are small and sort fast. Kept between indexes:
/// an edit brings few new words, and a number stays its word's.
#[derive(Default)]
struct Words {
    /// The forms of running text, and how many of them a title has (no dotted tails).
    forms: HashMap<String, (Vec<Form>, usize)>,
    ids: HashMap<String, WordId>,
    names: Vec<String>,
}

impl Words {
    /// Splits, folds and stems `runs`, none of them known yet.
    fn add(&mut self, runs: HashSet<&str>, language: &str) {
        let stemmed: Vec<(&str, Vec<Indexable>, usize)> = runs
            .into_par_iter()
            .map_init(
                || words::stemmer(language),
                |stemmer, raw| {
                    let mut forms = words::indexable(raw, stemmer.as_ref());
                    let in_titles = forms.len();
                    forms.extend(words::dotted_tails(raw, stemmer.as_ref(), &forms));
                    (raw, forms, in_titles)
                },
            )
            .collect();
        self.forms.reserve(stemmed.len());
        for (raw, forms, in_titles) in stemmed {
            let forms = forms
                .into_iter()
                .map(|form| Form { stem: self.id(form.stem), spelling: form.original.map_or(PLAIN, |spelling| self.id(spelling)), part: form.part })
                .collect();
            self.forms.insert(raw.to_owned(), (forms, in_titles));
        }
    }

    fn id(&mut self, name: String) -> WordId {
        *self.ids.entry(name).or_insert_with_key(|name| {
            self.names.push(name.clone());
            WordId::try_from(self.names.len() - 1).unwrap_or(PLAIN - 1)
        })
    }

    fn name(&self, id: WordId) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// A word's positions on one page, in its text and its title.
#[derive(PartialEq, Eq)]
struct Posting {
    stem: WordId,
    /// The spelling with diacritics, or [`PLAIN`].
    spelling: WordId,
    locs: Vec<i32>,
    meta_locs: Vec<i32>,
}

/// A page's record and what is made from it alone: its postings, by stem then spelling,
/// and its fragment.
struct Page {
    record: Record,
    postings: Vec<Posting>,
    fragment: String,
    /// The fragment's hash, with the language before it.
    hash: String,
    word_count: usize,
}

/// What the last index was written from, and its encoded files: see the module's docs.
#[derive(Default)]
pub struct Index {
    language: String,
    words: Words,
    /// In the last index's order: a page's number is its place.
    pages: Vec<Page>,
    /// The last index's chunks, by their first and last words and how many words they
    /// hold: a chunk with the same words, none of whose postings changed, is the same.
    chunks: HashMap<(String, String, usize), String>,
    /// The last index's compressed files, by the hash of their bytes.
    compressed: HashMap<String, Arc<[u8]>>,
}

impl Index {
    /// The index files of `records`, by their paths in the index folder. `language` is a
    /// code Pagefind knows (`sv`, `en`): it picks the stemmer and the WebAssembly file.
    pub fn write(&mut self, records: Vec<Record>, language: &str) -> Result<Vec<super::File>, String> {
        if self.language != language {
            *self = Index { language: language.to_owned(), ..Index::default() };
        }

        // 1. The pages whose record is new or changed are read again; the others kept.
        let renumbered = records.len() != self.pages.len() || records.iter().zip(&self.pages).any(|(record, page)| record.url != page.record.url);
        let mut kept: HashMap<String, Page> = std::mem::take(&mut self.pages).into_iter().map(|page| (page.record.url.clone(), page)).collect();
        let mut pages: Vec<Option<Page>> = Vec::with_capacity(records.len());
        let mut fresh: Vec<(usize, Record)> = Vec::new();
        let mut replaced: Vec<(usize, Page)> = Vec::new();
        for (number, record) in records.into_iter().enumerate() {
            match kept.remove(&record.url) {
                Some(page) if page.record == record => pages.push(Some(page)),
                previous => {
                    replaced.extend(previous.map(|page| (number, page)));
                    pages.push(None);
                    fresh.push((number, record));
                }
            }
        }
        let fresh_count = fresh.len();
        let texts: Vec<Text> = fresh.par_iter().map(|(_, record)| text(record)).collect();

        // 2. Each distinct run of text not seen before is split, folded and stemmed once.
        let known = &self.words.forms;
        let runs = fresh
            .par_iter()
            .zip(&texts)
            .fold(HashSet::new, |mut seen: HashSet<&str>, ((_, record), text)| {
                let runs = text.content.split_whitespace().chain(record.title.split_whitespace());
                seen.extend(runs.filter(|raw| !known.contains_key(*raw)));
                seen
            })
            .reduce(HashSet::new, |mut larger, mut smaller| {
                if larger.len() < smaller.len() {
                    std::mem::swap(&mut larger, &mut smaller);
                }
                larger.extend(smaller);
                larger
            });
        self.words.add(runs, language);

        // 3. Each new page's postings and fragment.
        let words = &self.words;
        let analysed: Vec<(usize, Page)> = fresh
            .into_par_iter()
            .zip(texts)
            .map(|((number, record), text)| page(record, &text, words, language).map(|page| (number, page)))
            .collect::<Result<_, _>>()?;
        for (number, page) in analysed {
            pages[number] = Some(page);
        }
        let pages: Vec<Page> = pages.into_iter().flatten().collect();
        // The stems whose postings changed; all of them where page numbers moved.
        let mut changed: HashSet<WordId> = HashSet::new();
        let all_changed = renumbered || replaced.len() != fresh_count;
        if !all_changed {
            for (number, previous) in &replaced {
                changed_stems(&previous.postings, &pages[*number].postings, &mut changed);
            }
        }
        drop(replaced);

        // 4. Fragments named by their hash (the first 7 digits, more where two collide).
        let mut fragment_names: HashMap<&str, &str> = HashMap::new();
        let mut meta_pages = Vec::with_capacity(pages.len());
        let mut compressed: Vec<(String, &str, Bytes)> = Vec::new();
        for page in &pages {
            let full = page.hash.as_str();
            let mut length = language.len() + 8;
            let name = loop {
                let short = &full[..length.min(full.len())];
                match fragment_names.get(short) {
                    None => {
                        fragment_names.insert(short, full);
                        compressed.push((format!("fragment/{short}.pf_fragment"), full, Bytes::Plain(page.fragment.as_bytes())));
                        break short;
                    }
                    Some(other) if *other == full || length >= full.len() => break short,
                    Some(_) => length += 1,
                }
            };
            meta_pages.push(MetaPage { hash: name.to_owned(), word_count: u32::try_from(page.word_count).unwrap_or(u32::MAX), group_hash: String::new() });
        }

        // 5. The inverted index, pages taken in order so that each word's list stays sorted.
        #[derive(Default)]
        struct Postings<'a> {
            pages: Vec<PackedPage<'a>>,
            spellings: Vec<(WordId, Vec<PackedPage<'a>>)>,
        }
        let mut index: Vec<Postings> = std::iter::repeat_with(Postings::default).take(words.names.len()).collect();
        for (number, page) in pages.iter().enumerate() {
            for posting in &page.postings {
                let Some(entry) = index.get_mut(posting.stem as usize) else { continue };
                let packed = PackedPage { page_number: number, locs: &posting.locs, meta_locs: &posting.meta_locs };
                if posting.spelling == PLAIN {
                    entry.pages.push(packed);
                } else {
                    match entry.spellings.iter_mut().find(|(id, _)| *id == posting.spelling) {
                        Some((_, pages)) => pages.push(packed),
                        None => entry.spellings.push((posting.spelling, vec![packed])),
                    }
                }
            }
        }
        let mut sorted: Vec<(WordId, PackedWord)> = index
            .into_par_iter()
            .enumerate()
            .filter(|(_, entry)| !entry.pages.is_empty() || !entry.spellings.is_empty())
            .map(|(stem, mut entry)| {
                let stem = WordId::try_from(stem).unwrap_or(PLAIN);
                delta_pages(&mut entry.pages);
                // In the order of their spelling: word ids depend on the order threads finish.
                let mut variants: Vec<PackedVariant> = entry
                    .spellings
                    .into_iter()
                    .map(|(spelling, mut pages)| {
                        delta_pages(&mut pages);
                        PackedVariant { form: words.name(spelling), pages }
                    })
                    .collect();
                variants.sort_unstable_by(|a, b| a.form.cmp(b.form));
                (stem, PackedWord { word: words.name(stem), pages: entry.pages, additional_variants: variants })
            })
            .collect();
        sorted.par_sort_unstable_by(|a, b| a.1.word.cmp(b.1.word));

        // 6. Chunks: encoded again where a word's postings changed, or the words are others.
        let chunks = chunk(&sorted);
        let mut index_chunks = chunk_ranges(&sorted, &chunks);
        let (previous_chunks, previous) = (&self.chunks, &self.compressed);
        let encoded: Vec<((String, String, usize), String, Chunk)> = chunks
            .into_par_iter()
            .map(|range| {
                let words = &sorted[range];
                let key = (words[0].1.word.to_owned(), words[words.len() - 1].1.word.to_owned(), words.len());
                let unchanged = !all_changed && words.iter().all(|(stem, _)| !changed.contains(stem));
                let kept = previous_chunks.get(&key).filter(|_| unchanged).and_then(|full| Some((full, previous.get(full)?)));
                if let Some((full, gzipped)) = kept {
                    return Ok((key, full.clone(), Chunk::Kept(Arc::clone(gzipped))));
                }
                let bytes = cbor(WordIndex { words: words.iter().map(|(_, word)| word).collect() })?;
                let full = format!("{language}_{}", full_hash(&bytes));
                Ok((key, full, Chunk::Encoded(bytes)))
            })
            .collect::<Result<_, String>>()?;
        let mut chunk_names: HashSet<String> = HashSet::new();
        for ((_, full, chunk), range) in encoded.iter().zip(&mut index_chunks) {
            let name = short_name(full, language, &mut chunk_names);
            let bytes = match chunk {
                Chunk::Kept(gzipped) => Bytes::Compressed(Arc::clone(gzipped)),
                Chunk::Encoded(bytes) => Bytes::Plain(bytes),
            };
            compressed.push((format!("index/{name}.pf_index"), full, bytes));
            range.hash = name;
        }

        // 7. The filters: for each, every value with the pages that have it.
        let mut filter_map: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
        for (number, page) in pages.iter().enumerate() {
            for (filter, values) in &page.record.filters {
                for value in values {
                    filter_map.entry(filter).or_default().entry(value).or_default().push(number);
                }
            }
        }
        let mut filters = Vec::with_capacity(filter_map.len());
        let mut filter_files: Vec<(String, String, Vec<u8>)> = Vec::with_capacity(filter_map.len());
        let mut filter_names: HashSet<String> = HashSet::new();
        for (filter, values) in filter_map {
            let values = values.into_iter().map(|(value, pages)| PackedValue { value: value.to_owned(), pages }).collect();
            let bytes = cbor(FilterIndex { filter: filter.to_owned(), values })?;
            let full = format!("{language}_{}", full_hash(&bytes));
            let name = short_name(&full, language, &mut filter_names);
            filters.push(MetaFilter { filter: filter.to_owned(), hash: name.clone() });
            filter_files.push((name, full, bytes));
        }
        compressed.extend(filter_files.iter().map(|(name, full, bytes)| (format!("filter/{name}.pf_filter"), full.as_str(), Bytes::Plain(bytes))));

        // 8. The metadata, and the entry that names it.
        let page_count = meta_pages.len();
        let meta = cbor(MetaIndex {
            version: PAGEFIND_VERSION.to_owned(),
            pages: meta_pages,
            index_chunks,
            filters,
            sorts: Vec::new(),
            meta_fields: vec!["title".to_owned()],
        })?;
        let meta_hash = full_hash(&meta);
        let meta_name = format!("{language}_{}", &meta_hash[..(language.len() + 8).min(meta_hash.len())]);
        let meta_full = format!("{language}_{meta_hash}");
        compressed.push((format!("pagefind.{meta_name}.pf_meta"), &meta_full, Bytes::Plain(&meta)));
        let entry = Entry {
            version: PAGEFIND_VERSION,
            languages: BTreeMap::from([(language, EntryLanguage { hash: &meta_name, wasm: Some(language), page_count })]),
            include_characters: Vec::new(),
        };
        let entry = serde_json::to_vec(&entry).map_err(|error| error.to_string())?;

        // 9. Compressed, unless the last index had the same bytes.
        let files: Vec<(String, &str, Arc<[u8]>)> = compressed
            .into_par_iter()
            .map(|(path, full, bytes)| {
                let gzipped = match (bytes, previous.get(full)) {
                    (Bytes::Compressed(gzipped), _) => gzipped,
                    (Bytes::Plain(_), Some(gzipped)) => Arc::clone(gzipped),
                    (Bytes::Plain(bytes), None) => gzip(bytes)?.into(),
                };
                Ok((path, full, gzipped))
            })
            .collect::<Result<_, String>>()?;
        let compressed: HashMap<String, Arc<[u8]>> = files.iter().map(|(_, full, bytes)| ((*full).to_owned(), Arc::clone(bytes))).collect();
        let mut files: Vec<super::File> = files.into_iter().map(|(path, _, bytes)| (path, bytes)).collect();
        files.push(("pagefind-entry.json".to_owned(), entry.into()));
        self.chunks = encoded.into_iter().map(|(key, full, _)| (key, full)).collect();
        self.compressed = compressed;
        self.pages = pages;
        Ok(files)
    }
}

/// A chunk of the index: as the last index had it, compressed, or encoded anew.
enum Chunk {
    Kept(Arc<[u8]>),
    Encoded(Vec<u8>),
}

/// A file of the index before compression, or already compressed.
enum Bytes<'a> {
    Compressed(Arc<[u8]>),
    Plain(&'a [u8]),
}

/// A file's name: `<language>_` and the first seven digits of its hash, or more where
/// another file of its kind already has that name (as Pagefind names them).
fn short_name(full: &str, language: &str, taken: &mut HashSet<String>) -> String {
    let mut length = language.len() + 8;
    while taken.contains(&full[..length.min(full.len())]) && length < full.len() {
        length += 1;
    }
    let name = full[..length.min(full.len())].to_owned();
    taken.insert(name.clone());
    name
}

/// A filter's index: every value with the pages that have it.
#[derive(Encode)]
struct FilterIndex {
    #[n(0)]
    filter: String,
    #[n(1)]
    values: Vec<PackedValue>,
}

#[derive(Encode)]
struct PackedValue {
    #[n(0)]
    value: String,
    #[n(1)]
    pages: Vec<usize>,
}

/// A record's blocks as one text, as Pagefind joins an HTML page's: every block ends as
/// a sentence, and words are whatever whitespace separates.
fn text(record: &Record) -> Text {
    let mut content = String::new();
    let mut starts = Vec::with_capacity(record.blocks.len());
    let mut words = 0u32;
    for block in &record.blocks {
        starts.push(words);
        let mut sentence = block.text.clone();
        crate::markdown::end_sentence(&mut sentence);
        for word in sentence.split_whitespace() {
            // Pagefind drops zero-width spaces, and a word that is nothing else.
            let word: std::borrow::Cow<str> = if word.contains('\u{200B}') { word.replace('\u{200B}', "").into() } else { word.into() };
            if word.is_empty() {
                continue;
            }
            if !content.is_empty() {
                content.push(' ');
            }
            content.push_str(&word);
            words = words.saturating_add(1);
        }
    }
    Text { content, starts }
}

fn page(record: Record, text: &Text, words: &Words, language: &str) -> Result<Page, String> {
    let mut located: Vec<Occurrence> = Vec::new();
    let mut block = 0;
    let mut weight = record.blocks.first().map_or(24, |block| block.weight);
    let mut count = 0u32;
    for (position, raw) in text.content.split_whitespace().enumerate() {
        let position = u32::try_from(position).unwrap_or(u32::MAX);
        while text.starts.get(block + 1).is_some_and(|&start| start <= position) {
            block += 1;
            weight = record.blocks.get(block).map_or(24, |block| block.weight);
        }
        count = position.saturating_add(1);
        let Some((forms, _)) = words.forms.get(raw) else { continue };
        let parts = forms.iter().filter(|form| form.part).count();
        let part_weight = if parts > 0 && weight > 0 { (weight / u8::try_from(parts).unwrap_or(u8::MAX)).max(1) } else { 0 };
        for form in forms {
            located.push((form.stem, form.spelling, false, position, if form.part { part_weight } else { weight }));
        }
    }
    // The title is searched as metadata: Pagefind's field 0, `title`.
    for (position, raw) in record.title.split_whitespace().enumerate() {
        let position = u32::try_from(position).unwrap_or(u32::MAX);
        let Some((forms, in_titles)) = words.forms.get(raw) else { continue };
        for form in forms.iter().take(*in_titles) {
            located.push((form.stem, form.spelling, true, position, 0));
        }
    }
    located.sort_unstable_by_key(|&(stem, spelling, ..)| (stem, spelling));
    let postings = located
        .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
        .map(|group| {
            let (in_text, in_title): (Vec<&Occurrence>, Vec<_>) = group.iter().partition(|located| !located.2);
            let text: Vec<Located> = in_text.iter().map(|located| (located.3, located.4)).collect();
            let title: Vec<u32> = in_title.iter().map(|located| located.3).collect();
            Posting { stem: group[0].0, spelling: group[0].1, locs: pack_locations(&text), meta_locs: pack_meta(&title) }
        })
        .collect();
    let word_count = count.max(1) as usize;
    let anchors = record
        .blocks
        .iter()
        .zip(&text.starts)
        .filter_map(|(block, &location)| {
            let anchor = block.anchor.as_ref()?;
            let text = block.text.split_whitespace().collect::<Vec<_>>().join(" ");
            Some(FragmentAnchor { element: anchor.element, id: &anchor.id, text, title: anchor.title.as_deref(), location })
        })
        .collect();
    let fragment = Fragment {
        url: &record.url,
        content: &text.content,
        word_count,
        filters: record.filters.clone(),
        meta: BTreeMap::from([("title", record.title.as_str())]),
        anchors,
    };
    let fragment = serde_json::to_string(&fragment).map_err(|error| error.to_string())?;
    let hash = format!("{language}_{}", full_hash(fragment.as_bytes()));
    Ok(Page { record, postings, fragment, hash, word_count })
}

/// Adds to `changed` the stems whose postings differ between a page's `old` and `new`
/// postings (both in order of stem, then spelling).
fn changed_stems(old: &[Posting], new: &[Posting], changed: &mut HashSet<WordId>) {
    use std::cmp::Ordering;
    let (mut old, mut new) = (old.iter().peekable(), new.iter().peekable());
    loop {
        let order = match (old.peek(), new.peek()) {
            (None, None) => return,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(before), Some(after)) => (before.stem, before.spelling).cmp(&(after.stem, after.spelling)),
        };
        match order {
            Ordering::Less => changed.extend(old.next().map(|posting| posting.stem)),
            Ordering::Greater => changed.extend(new.next().map(|posting| posting.stem)),
            Ordering::Equal => {
                if let (Some(before), Some(after)) = (old.next(), new.next())
                    && before != after
                {
                    changed.insert(after.stem);
                }
            }
        }
    }
}

/// Positions in Pagefind's packing: sorted by weight (the usual one first), then by
/// position; a change of weight is a negative marker followed by an absolute position,
/// other positions are deltas.
fn pack_locations(located: &[Located]) -> Vec<i32> {
    // Pagefind compares with 25 where running text weighs 24: kept, for the same bytes.
    const USUAL: u8 = 25;
    let mut located = located.to_vec();
    located.sort_unstable_by_key(|&(position, weight)| (if weight == USUAL { 0 } else { weight }, position));
    let mut packed = Vec::with_capacity(located.len() + 2);
    let mut current = USUAL;
    let mut last = 0u32;
    for (position, weight) in located {
        if weight != current {
            packed.push(-i32::from(weight) - 1);
            packed.push(i32::try_from(position).unwrap_or(i32::MAX));
            current = weight;
        } else {
            packed.push(i32::try_from(position - last).unwrap_or(i32::MAX));
        }
        last = position;
    }
    packed
}

/// Metadata positions: a field marker (`-1` for field 0, the title), then deltas.
fn pack_meta(positions: &[u32]) -> Vec<i32> {
    if positions.is_empty() {
        return Vec::new();
    }
    let mut positions = positions.to_vec();
    positions.sort_unstable();
    let mut packed = Vec::with_capacity(positions.len() + 1);
    packed.push(-1);
    let mut last = 0;
    for position in positions {
        packed.push(i32::try_from(position - last).unwrap_or(i32::MAX));
        last = position;
    }
    packed
}

/// Page numbers as deltas from the previous page's.
fn delta_pages(pages: &mut [PackedPage]) {
    let mut last = 0;
    for page in pages {
        let number = page.page_number;
        page.page_number = number - last;
        last = number;
    }
}

/// Words (sorted) cut into chunks of about [`CHUNK_SIZE`] positions, as Pagefind cuts them.
fn chunk(words: &[(WordId, PackedWord)]) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (at, (_, word)) in words.iter().enumerate() {
        size += word
            .pages
            .iter()
            .chain(word.additional_variants.iter().flat_map(|variant| &variant.pages))
            .map(|page| page.locs.len() + page.meta_locs.len() + 1)
            .sum::<usize>()
            + word.additional_variants.len();
        if size >= CHUNK_SIZE {
            chunks.push(start..at + 1);
            start = at + 1;
            size = 0;
        }
    }
    if start < words.len() {
        chunks.push(start..words.len());
    }
    chunks
}

/// The word range of each chunk, cut to the shortest prefixes that tell neighbours apart.
fn chunk_ranges(words: &[(WordId, PackedWord)], chunks: &[Range<usize>]) -> Vec<MetaChunk> {
    let mut ranges: Vec<MetaChunk> = chunks
        .iter()
        .map(|chunk| MetaChunk { from: words[chunk.start].1.word.to_owned(), to: words[chunk.end - 1].1.word.to_owned(), hash: String::new() })
        .collect();
    for at in 1..ranges.len() {
        let (before, after) = ranges.split_at_mut(at);
        let (previous, next) = (&mut before[at - 1], &mut after[0]);
        let common = next.from.chars().zip(previous.to.chars()).take_while(|(a, b)| a == b).count();
        let to: String = previous.to.chars().take(common + 1).collect();
        // Only where it keeps the range the right way round.
        if to >= previous.from {
            previous.to = to;
        }
        next.from = next.from.chars().take(common + 1).collect();
    }
    ranges
}

fn cbor<T: Encode<()>>(value: T) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    minicbor::encode(value, &mut bytes).map_err(|error| error.to_string())?;
    Ok(bytes)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::default());
    encoder.write_all(SIGNATURE).and_then(|()| encoder.write_all(bytes)).map_err(|error| error.to_string())?;
    encoder.finish().map_err(|error| error.to_string())
}

/// SHA-1 in Pagefind's spelling: each byte in hex without a leading zero.
fn full_hash(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut hash = String::with_capacity(40);
    for byte in Sha1::digest(bytes) {
        let _ = write!(hash, "{byte:x}");
    }
    hash
}
