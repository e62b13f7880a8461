//! The evaluation file: a TSV with the header `user_id item_id weight timestamp fold`, one
//! interaction a row, `fold` one of `train`, `val`, `test` (PROTOCOL.md). Reading stops at
//! the first bad line and says which.

use std::io::BufRead;

pub const HEADER: [&str; 5] = ["user_id", "item_id", "weight", "timestamp", "fold"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    Train,
    Val,
    Test,
}

/// One row as written: the caller's ids, not yet dense.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub user_id: u64,
    pub item_id: u64,
    pub weight: f32,
    pub timestamp: i64,
    pub fold: Fold,
}

#[derive(Debug, thiserror::Error)]
pub enum InteractionsError {
    #[error("cannot read the interactions: {0}")]
    Io(#[from] std::io::Error),
    #[error("line 1: the header must be `{}`, found `{found}`", HEADER.join("\\t"))]
    Header { found: String },
    #[error("line {line}: {reason}")]
    Row { line: usize, reason: String },
    #[error("the interactions file has a header but no rows")]
    NoRows,
}

impl InteractionsError {
    /// The 1-based line the error is about, when it is about one.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::Header { .. } => Some(1),
            Self::Row { line, .. } => Some(*line),
            Self::Io(_) | Self::NoRows => None,
        }
    }
}

pub fn read(input: impl BufRead) -> Result<Vec<Row>, InteractionsError> {
    let mut lines = input.lines();
    let header = lines.next().transpose()?.unwrap_or_default();
    if header.trim_end_matches('\r').split('\t').ne(HEADER) {
        return Err(InteractionsError::Header { found: header });
    }
    let mut rows = Vec::new();
    for (index, line) in lines.enumerate() {
        let line = line?;
        let number = index + 2;
        let line = line.trim_end_matches('\r');
        // A trailing empty line is how most writers end a file, not a row.
        if line.is_empty() {
            continue;
        }
        rows.push(parse_row(line).map_err(|reason| InteractionsError::Row { line: number, reason })?);
    }
    if rows.is_empty() {
        return Err(InteractionsError::NoRows);
    }
    Ok(rows)
}

fn parse_row(line: &str) -> Result<Row, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [user_id, item_id, weight, timestamp, fold] = fields[..] else {
        return Err(format!("expected 5 tab-separated fields, found {}", fields.len()));
    };
    let integer = |name: &str, value: &str| {
        value.parse::<u64>().map_err(|_| format!("{name} `{value}` is not a non-negative integer"))
    };
    let weight: f32 = weight.parse().map_err(|_| format!("weight `{weight}` is not a number"))?;
    if !weight.is_finite() {
        return Err(format!("weight `{weight}` is not finite"));
    }
    Ok(Row {
        user_id: integer("user_id", user_id)?,
        item_id: integer("item_id", item_id)?,
        weight,
        timestamp: timestamp.parse().map_err(|_| format!("timestamp `{timestamp}` is not an integer"))?,
        fold: match fold {
            "train" => Fold::Train,
            "val" => Fold::Val,
            "test" => Fold::Test,
            other => return Err(format!("fold `{other}` is not train, val or test")),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "user_id\titem_id\tweight\ttimestamp\tfold\n1\t10\t4\t100\ttrain\n2\t10\t1\t101\ttest\n";

    #[test]
    fn a_good_file_reads_every_row() {
        let rows = read(GOOD.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1], Row { user_id: 2, item_id: 10, weight: 1.0, timestamp: 101, fold: Fold::Test });
    }

    #[test]
    fn a_bad_header_is_line_one() {
        let error = read("user\titem\n1\t2\n".as_bytes()).unwrap_err();
        assert!(matches!(error, InteractionsError::Header { .. }), "{error}");
        assert_eq!(error.line(), Some(1));
    }

    #[test]
    fn a_bad_row_names_its_line_and_field() {
        let input = format!("{GOOD}3\t11\t2\t102\tholdout\n");
        let error = read(input.as_bytes()).unwrap_err();
        assert_eq!(error.line(), Some(4));
        assert_eq!(error.to_string(), "line 4: fold `holdout` is not train, val or test");
        let error = read(format!("{GOOD}3\t11\n").as_bytes()).unwrap_err();
        assert_eq!(error.to_string(), "line 4: expected 5 tab-separated fields, found 2");
        let error = read(format!("{GOOD}x\t11\t1\t1\ttrain\n").as_bytes()).unwrap_err();
        assert_eq!(error.to_string(), "line 4: user_id `x` is not a non-negative integer");
    }

    #[test]
    fn an_empty_file_is_a_bad_header_and_a_header_alone_has_no_rows() {
        assert!(matches!(read("".as_bytes()), Err(InteractionsError::Header { .. })));
        assert!(matches!(
            read("user_id\titem_id\tweight\ttimestamp\tfold\n".as_bytes()),
            Err(InteractionsError::NoRows)
        ));
    }
}
