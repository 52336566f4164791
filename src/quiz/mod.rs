//! Quizzes: YAML definitions parsed once into a validated model, proven sound, and scored.

pub mod locate;
