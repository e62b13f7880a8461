//! sqlx's query API for code generic over the engine. sqlx states per engine which Rust
//! types it binds and reads, so generic code could only bind an `i64` after stating
//! `i64: Encode<'q, DB> + Type<DB>` (and so on for every type and row) on every `impl`.
//! These wrappers bind a [`Param`] and read a [`Row`] instead: types both engines handle,
//! which [`Engine::Param`] and [`Engine::Read`] turn into what the engine's sqlx types
//! want. The statements sent are sqlx's own, unchanged.

use sqlx::query::{Query, QueryAs};
use sqlx::query_builder::Separated;
use sqlx::{Executor, QueryBuilder, SqlSafeStr};

use crate::engine::{Engine, Param, Row};

/// Binding a [`Param`] to a statement of any engine, in place of sqlx's `bind`.
pub(crate) trait Bind<'q>: Sized {
    fn arg<T: Param<'q> + 'q>(self, value: T) -> Self;
}

impl<'q, DB: Engine> Bind<'q> for Query<'q, DB, DB::Arguments> {
    fn arg<T: Param<'q> + 'q>(self, value: T) -> Self {
        self.bind(DB::Param::from(value))
    }
}

impl<'q, DB: Engine, R: Row, Out> Bind<'q> for Fetch<'q, DB, R, Out> {
    fn arg<T: Param<'q> + 'q>(self, value: T) -> Self {
        Fetch { query: self.query.bind(DB::Param::from(value)), output: self.output }
    }
}

/// Pushing a [`Param`] onto a built statement, in place of sqlx's `push_bind`.
pub(crate) trait PushArg {
    fn push_arg<'t, T: Param<'t>>(&mut self, value: T) -> &mut Self;
}

impl<DB: Engine> PushArg for QueryBuilder<DB> {
    fn push_arg<'t, T: Param<'t>>(&mut self, value: T) -> &mut Self {
        self.push_bind(DB::Param::from(value))
    }
}

impl<DB: Engine, Sep: std::fmt::Display> PushArg for Separated<'_, DB, Sep> {
    fn push_arg<'t, T: Param<'t>>(&mut self, value: T) -> &mut Self {
        self.push_bind(DB::Param::from(value))
    }
}

/// A bind within one item of a separated list, in place of sqlx's `push_bind_unseparated`.
pub(crate) trait PushArgUnseparated {
    fn push_arg_unseparated<'t, T: Param<'t>>(&mut self, value: T) -> &mut Self;
}

impl<DB: Engine, Sep: std::fmt::Display> PushArgUnseparated for Separated<'_, DB, Sep> {
    fn push_arg_unseparated<'t, T: Param<'t>>(&mut self, value: T) -> &mut Self {
        self.push_bind_unseparated(DB::Param::from(value))
    }
}

/// A statement whose rows are read as `R` and handed out as `Out` (`R` itself, or the
/// one column of a scalar query).
pub(crate) struct Fetch<'q, DB: Engine, R: Row, Out> {
    query: QueryAs<'q, DB, DB::Read<R>, DB::Arguments>,
    output: fn(R) -> Out,
}

/// `sqlx::query_as`: each row as an `R`.
pub(crate) fn query_as<'q, DB: Engine, R: Row>(sql: impl SqlSafeStr) -> Fetch<'q, DB, R, R> {
    Fetch { query: sqlx::query_as(sql), output: |row| row }
}

/// `sqlx::query_scalar`: each row's first column as an `O`.
pub(crate) fn query_scalar<'q, DB: Engine, O>(sql: impl SqlSafeStr) -> Fetch<'q, DB, (O,), O>
where
    (O,): Row,
{
    Fetch { query: sqlx::query_as(sql), output: |(value,)| value }
}

/// `QueryBuilder::build_query_as` and `build_query_scalar`, reading [`Row`]s.
pub(crate) trait BuildFetch<DB: Engine> {
    fn build_rows<R: Row>(&mut self) -> Fetch<'_, DB, R, R>;
    fn build_scalars<O>(&mut self) -> Fetch<'_, DB, (O,), O>
    where
        (O,): Row;
}

impl<DB: Engine> BuildFetch<DB> for QueryBuilder<DB> {
    fn build_rows<R: Row>(&mut self) -> Fetch<'_, DB, R, R> {
        Fetch { query: self.build_query_as(), output: |row| row }
    }

    fn build_scalars<O>(&mut self) -> Fetch<'_, DB, (O,), O>
    where
        (O,): Row,
    {
        Fetch { query: self.build_query_as(), output: |(value,)| value }
    }
}

impl<'q, DB: Engine, R: Row, Out> Fetch<'q, DB, R, Out> {
    pub async fn fetch_all<'e, 'c: 'e, E>(self, executor: E) -> Result<Vec<Out>, sqlx::Error>
    where
        'q: 'e,
        E: 'e + Executor<'c, Database = DB>,
    {
        let rows = self.query.fetch_all(executor).await?;
        Ok(rows.into_iter().map(|row| (self.output)(row.into())).collect())
    }

    pub async fn fetch_optional<'e, 'c: 'e, E>(self, executor: E) -> Result<Option<Out>, sqlx::Error>
    where
        'q: 'e,
        E: 'e + Executor<'c, Database = DB>,
    {
        let row = self.query.fetch_optional(executor).await?;
        Ok(row.map(|row| (self.output)(row.into())))
    }

    /// As sqlx's own `fetch_one`: the first row, or `RowNotFound`.
    pub async fn fetch_one<'e, 'c: 'e, E>(self, executor: E) -> Result<Out, sqlx::Error>
    where
        'q: 'e,
        E: 'e + Executor<'c, Database = DB>,
    {
        self.fetch_optional(executor).await?.ok_or(sqlx::Error::RowNotFound)
    }
}
