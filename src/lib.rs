//! tandem: a static-site generator for guide sites that teach and test.
//!
//! The pipeline runs one way: [`config`] and [`content`] load the site, [`quiz`] parses and proves
//! quizzes, [`markdown`] and [`render`] turn them into HTML, and [`build`] writes the output
//! atomically. [`check`] runs every validation and writes nothing; [`serve`] reuses the same
//! pipeline for live authoring.

pub mod diagnostic;
pub mod quiz;
