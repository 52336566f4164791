//! Quizzes: YAML definitions parsed once into a validated model, proven sound, and scored.
//!
//! (Placeholder interface while the full module lands from the `quiz` branch.)

use std::path::Path;

use crate::diagnostic::Diagnostic;

#[derive(Debug, Clone)]
pub struct Quiz {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
}

pub fn parse(file: &Path, source: &str) -> (Option<Quiz>, Vec<Diagnostic>) {
    #[derive(serde::Deserialize)]
    struct Head {
        title: String,
        description: Option<String>,
        #[serde(default)]
        weight: i64,
    }
    match yaml_serde::from_str::<Head>(source) {
        Ok(h) => (
            Some(Quiz {
                id: file.file_stem().unwrap_or_default().to_string_lossy().into_owned(),
                title: h.title,
                description: h.description,
                weight: h.weight,
            }),
            vec![],
        ),
        Err(e) => (None, vec![Diagnostic::error(file, e.to_string())]),
    }
}

impl Quiz {
    /// Each outcome link as written, with its byte offset in the quiz file.
    pub fn outcome_links(&self) -> Vec<(String, usize)> {
        Vec::new()
    }
}

/// What `partials/quiz.html` gets as `quiz`.
pub fn view(
    quiz: &Quiz,
    page_url: &str,
    _md: &dyn Fn(&str, bool) -> String,
    _link: &dyn Fn(&str) -> Option<(String, String)>,
) -> serde_json::Value {
    serde_json::json!({ "id": quiz.id, "title": quiz.title, "page_url": page_url, "questions": [], "data_json": "{}" })
}
