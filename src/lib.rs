//! tandem: a static-site generator for guide sites that teach and test.
//!
//! The pipeline runs one way: [`config`] and [`content`] load the site, [`quiz`] parses and proves
//! quizzes, [`markdown`] and [`render`] turn them into HTML through the [`theme`]'s templates, and
//! [`build`] writes the output atomically (or, for `tandem check`, nowhere). [`serve`] keeps it in
//! memory instead, serves it and rebuilds on every change. [`init`] scaffolds a new site, and
//! [`import`] makes one from an mdBook book.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod import;
pub mod init;
pub mod markdown;
pub mod nesting;
pub mod quiz;
pub mod render;
pub mod search;
pub mod serve;
pub mod theme;
pub mod yaml_events;
