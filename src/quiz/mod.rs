//! Quizzes: YAML definitions parsed once into a validated model, proven sound, and scored.
//!
//! The way through, one module per step:
//! - [`locate`]: where each YAML node is, so every error has a file:line:col;
//! - [`raw`]: the file as written (serde); [`parse`]: YAML to a checked [`Quiz`], reporting
//!   every problem as a [`crate::diagnostic::Diagnostic`];
//! - [`check`]: the rules of SPEC §3 for the quiz, its dimensions and outcomes, building the
//!   [`model`]; each question type's own rules, scoring, reachable scores, client data and view
//!   live in its module under [`kinds`] (one home per type);
//! - [`report`]: diagnostics helpers; [`text`]: text-answer normalisation; [`answer`]: answers
//!   as the form gives them;
//! - [`analysis`]: the reachable score space, and the proof that outcomes cover it;
//! - [`lints`]: SPEC §3.4's warnings about how the questions are written;
//! - [`score`]: the reference scorer the browser's `quiz.js` must agree with;
//! - [`client`]: the JSON the browser scores with; [`view`]: what the theme's template gets.
//!
//! The internal contract these implement is `docs/dev/quiz-contract.md`.

// A new question type must be a list of compile errors, never a catch-all arm that quietly
// treats it like another (issue 10).
#![deny(clippy::wildcard_enum_match_arm)]

mod analysis;
pub mod answer;
mod check;
pub mod client;
pub mod common;
pub mod json;
pub mod kinds;
mod lints;
pub mod locate;
pub mod model;
pub mod parse;
pub mod raw;
mod report;
pub mod score;
pub mod text;
pub mod view;

pub use client::{QuizScript, script_json};
pub use model::*;
pub use parse::parse;
pub use score::{Answer, Answers, QuestionResult, ScoreResult, score, score_drawn};
pub use text::normalize;
pub use view::{EMBED_MARKER, QuizView, embed_ids, view};

/// Helpers for the quiz tests: parse a YAML string and look at what was reported.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;

    use crate::diagnostic::{Diagnostic, Severity};

    use super::Quiz;

    /// A problem reduced to what tests compare: severity, line, column, message, hint.
    #[derive(Debug, Clone)]
    pub struct Problem {
        pub severity: Severity,
        pub line: usize,
        pub column: usize,
        pub message: String,
        pub hint: String,
    }

    pub fn problems(src: &str) -> Vec<Problem> {
        let (_, diagnostics) = super::parse(Path::new("content/quizzes/test.yaml"), src);
        diagnostics.iter().map(problem).collect()
    }

    fn problem(d: &Diagnostic) -> Problem {
        Problem {
            severity: d.severity,
            line: d.location.as_ref().map_or(0, |l| l.line),
            column: d.location.as_ref().map_or(0, |l| l.column),
            message: d.message.clone(),
            hint: d.hint.clone().unwrap_or_default(),
        }
    }

    /// The quiz, which must have parsed without errors or warnings from the checks and the proof.
    /// The lints of SPEC §3.4 are left out here (a test quiz of four `answer: true` questions is
    /// fine for testing scoring) and tested on their own, through [`problems`].
    pub fn quiz(src: &str) -> Quiz {
        let (quiz, diagnostics) =
            super::parse::parse_and_lint(Path::new("content/quizzes/test.yaml"), src, false);
        assert!(diagnostics.is_empty(), "expected no problems, got:\n{}", render(&diagnostics));
        quiz.expect("a quiz without errors")
    }

    fn render(diagnostics: &[Diagnostic]) -> String {
        diagnostics.iter().map(|d| d.render(false)).collect::<Vec<_>>().join("\n")
    }

    /// The one problem whose message contains `needle`; panics listing all problems otherwise.
    pub fn find(src: &str, needle: &str) -> Problem {
        let all = problems(src);
        let found: Vec<&Problem> = all.iter().filter(|p| p.message.contains(needle)).collect();
        match found[..] {
            [one] => one.clone(),
            _ => panic!("expected one problem containing {needle:?}, got:\n{all:#?}"),
        }
    }

    /// A knowledge quiz with these questions (YAML list items, indented by two).
    pub fn knowledge(questions: &str) -> String {
        format!("title: T\nmode: knowledge\nquestions:\n{questions}")
    }

    /// An assessment with two mean dimensions (closeness, autonomy), three scale items each, these
    /// extra questions, and one outcome that covers everything.
    pub fn assessment(extra_questions: &str) -> String {
        let mut src = String::from(
            "title: T\nmode: assessment\ndimensions:\n  - { id: closeness, aggregate: mean }\n  - { id: autonomy, aggregate: mean }\nquestions:\n",
        );
        for d in ["closeness", "autonomy"] {
            for _ in 0..3 {
                src += &format!("  - {{ type: scale, prompt: P, scale: agree5, dimension: {d} }}\n");
            }
        }
        src += extra_questions;
        src += "outcomes:\n  - { id: all, title: All, when: {} }\n";
        src
    }

    /// The 1-based line of the first occurrence of `needle` in `src`.
    pub fn line_of(src: &str, needle: &str) -> usize {
        let at = src.find(needle).unwrap_or_else(|| panic!("{needle:?} is not in the source"));
        src[..at].matches('\n').count() + 1
    }

    pub fn errors(src: &str) -> Vec<Problem> {
        problems(src).into_iter().filter(|p| p.severity == Severity::Error).collect()
    }
}
