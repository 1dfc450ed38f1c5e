use super::*;

const STATEMENT: &str = "+++
# Written by hand: keep this comment.
title = \"Socialnämnden\"
organisation = \"Umeå kommun\"
reference = \"KS-2018/1\"

[[positions]]
proposal = \"a\"   # the first one
stance = \"supports\"
quote = \"Nämnden tillstyrker förslaget.\"

# A suggestion to look at.
[[positions]]
proposal = \"b\"
stance = \"doubtful\"
quote = \"Det bör bl.a. gälla skolan.\"
suggested = true
confidence = 0.7

[[changes]]
date = 2026-04-02
note = \"Rättat.\"
+++
Nämnden tillstyrker förslaget. Det bör bl.a. gälla skolan.

Kostnaderna är *oklara*, anser nämnden.
";

struct Fixture {
    root: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let root = tempfile::tempdir().expect("a folder");
        std::fs::create_dir_all(root.path().join("content/statements")).expect("content/statements");
        std::fs::write(root.path().join("content/statements/namnden.md"), STATEMENT).expect("the statement");
        Fixture { root }
    }

    fn text(&self) -> String {
        std::fs::read_to_string(self.root.path().join("content/statements/namnden.md")).expect("the statement")
    }

    fn apply(&self, action: Action) -> Result<Written, Refusal> {
        let edit = Edit { statement: "namnden".to_owned(), version: version(&self.text()), action };
        apply(self.root.path(), &edit, |proposal| ["a", "b", "c"].contains(&proposal))
    }
}

fn add(proposal: &str, quote: &str) -> Action {
    Action::Add { proposal: proposal.to_owned(), stance: Stance::Opposes, quote: quote.to_owned(), widen: false }
}

#[test]
fn a_new_position_is_added_and_every_other_byte_stays() {
    let fixture = Fixture::new();
    let written = fixture.apply(add("c", "Kostnaderna är oklara")).expect("written");
    assert_eq!(written.quote.as_deref(), Some("Kostnaderna är oklara"));
    let expected = STATEMENT.replace(
        "confidence = 0.7\n",
        "confidence = 0.7\n\n[[positions]]\nproposal = \"c\"\nstance = \"opposes\"\nquote = \"Kostnaderna är oklara\"\n",
    );
    assert_eq!(fixture.text(), expected);
}

#[test]
fn a_selection_is_widened_to_whole_sentences_on_request() {
    let fixture = Fixture::new();
    let action = Action::Add { proposal: "c".to_owned(), stance: Stance::Partly, quote: "oklara, anser".to_owned(), widen: true };
    assert_eq!(fixture.apply(action).expect("written").quote.as_deref(), Some("Kostnaderna är oklara, anser nämnden."));
}

#[test]
fn refusals_leave_the_file_untouched() {
    let fixture = Fixture::new();
    let cases = [
        (add("x", "Kostnaderna är oklara"), Refusal::UnknownProposal("x".to_owned())),
        (add("a", "Kostnaderna är oklara"), Refusal::AlreadyThere("a".to_owned())),
        (Action::Remove { proposal: "c".to_owned() }, Refusal::NoPosition("c".to_owned())),
        (Action::Accept { proposal: "a".to_owned() }, Refusal::NotSuggested("a".to_owned())),
    ];
    for (action, refusal) in cases {
        assert_eq!(fixture.apply(action), Err(refusal));
        assert_eq!(fixture.text(), STATEMENT);
    }
    let Err(Refusal::NotVerbatim(reason)) = fixture.apply(add("c", "Kostnaderna är tydliga")) else { panic!("not refused") };
    assert!(reason.contains("«"), "{reason}");
    let stale = Edit { statement: "namnden".to_owned(), version: version("older text"), action: add("c", "Kostnaderna är oklara") };
    assert_eq!(apply(fixture.root.path(), &stale, |_| true), Err(Refusal::Stale));
    let outside = Edit { statement: "../../x".to_owned(), version: String::new(), action: add("c", "Kostnaderna") };
    assert_eq!(apply(fixture.root.path(), &outside, |_| true), Err(Refusal::BadStatementId("../../x".to_owned())));
    assert_eq!(fixture.text(), STATEMENT);
}

#[test]
fn a_change_keeps_the_comment_on_the_line() {
    let fixture = Fixture::new();
    let action = Action::Change { replace: "a".to_owned(), proposal: "c".to_owned(), stance: Stance::Opposes, quote: None, widen: false };
    fixture.apply(action).expect("written");
    let expected = STATEMENT.replace("proposal = \"a\"   # the first one\nstance = \"supports\"", "proposal = \"c\"   # the first one\nstance = \"opposes\"");
    assert_eq!(fixture.text(), expected);
}

#[test]
fn accepting_a_suggestion_removes_its_marks_and_rejecting_it_the_entry() {
    let fixture = Fixture::new();
    assert_eq!(fixture.text().matches("suggested = true").count(), 1);
    fixture.apply(Action::Accept { proposal: "b".to_owned() }).expect("accepted");
    assert_eq!(fixture.text(), STATEMENT.replace("suggested = true\nconfidence = 0.7\n", ""));
    assert!(!fixture.text().contains("suggested"));

    let fixture = Fixture::new();
    fixture.apply(Action::Reject { proposal: "b".to_owned() }).expect("rejected");
    let expected = STATEMENT.replace(
        "# A suggestion to look at.\n[[positions]]\nproposal = \"b\"\nstance = \"doubtful\"\nquote = \"Det bör bl.a. gälla skolan.\"\nsuggested = true\nconfidence = 0.7\n\n",
        "",
    );
    // The comment above the removed entry is kept, above what follows it.
    let expected = expected.replace("\n[[changes]]", "\n# A suggestion to look at.\n\n[[changes]]");
    assert_eq!(fixture.text(), expected);
}

#[test]
fn a_change_can_give_a_position_another_passage() {
    let fixture = Fixture::new();
    let action = Action::Change {
        replace: "a".to_owned(),
        proposal: "a".to_owned(),
        stance: Stance::Supports,
        quote: Some("Kostnaderna är oklara".to_owned()),
        widen: true,
    };
    assert_eq!(fixture.apply(action).expect("written").quote.as_deref(), Some("Kostnaderna är oklara, anser nämnden."));
    let expected = STATEMENT.replace("quote = \"Nämnden tillstyrker förslaget.\"", "quote = \"Kostnaderna är oklara, anser nämnden.\"");
    assert_eq!(fixture.text(), expected);
}
