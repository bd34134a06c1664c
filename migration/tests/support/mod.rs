//! Helpers of the migration tests: expected schema, throw-away databases, entity fixtures.

#![allow(dead_code)] // each test binary uses a different part

pub mod databases;
pub mod fixtures;
pub mod schema;
