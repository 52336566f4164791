//! Quizzes: YAML definitions parsed once into a validated model, proven sound, and scored.
//!
//! The way through, one module per step:
//! - [`locate`]: where each YAML node is, so every error has a file:line:col;
//! - [`raw`]: the file as written (serde); [`parse`]: YAML to a checked [`Quiz`], reporting
//!   every problem as a [`crate::diagnostic::Diagnostic`];
//! - [`check`]: the per-question and per-outcome rules of SPEC §3, building the [`model`];
//! - [`analysis`]: the reachable score space, and the proof that outcomes cover it;
//! - [`score`]: the reference scorer the browser's `quiz.js` must agree with;
//! - [`client`]: the JSON the browser scores with; [`view`]: what the theme's template gets.
//!
//! The internal contract these implement is `docs/dev/quiz-contract.md`.

mod analysis;
mod check;
pub mod client;
pub mod locate;
pub mod model;
pub mod parse;
pub mod raw;
pub mod score;
pub mod view;

pub use client::script_json;
pub use model::*;
pub use parse::parse;
pub use score::{Answer, Answers, QuestionResult, ScoreResult, normalize, score};
pub use view::{QuizView, view};
