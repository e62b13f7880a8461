//! The users × items confidence matrix the models learn from, held as compressed sparse rows
//! both ways (by user and by item) because iALS alternates between the two.

/// Dense indexes: `0..n_users` and `0..n_items`. The caller keeps the mapping to its own ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    n_users: usize,
    n_items: usize,
    by_user: Sparse,
    by_item: Sparse,
}

/// Compressed sparse rows: row `r`'s columns are `columns[starts[r]..starts[r + 1]]`, sorted.
#[derive(Debug, Clone, Default, PartialEq)]
struct Sparse {
    starts: Vec<usize>,
    columns: Vec<u32>,
    values: Vec<f32>,
}

impl Sparse {
    fn from_sorted(rows: usize, mut triples: Vec<(u32, u32, f32)>) -> Self {
        triples.sort_unstable_by_key(|&(row, column, _)| (row, column));
        let mut starts = vec![0; rows + 1];
        let mut columns = Vec::with_capacity(triples.len());
        let mut values: Vec<f32> = Vec::with_capacity(triples.len());
        let mut last: Option<(u32, u32)> = None;
        for (row, column, value) in triples {
            // Repeated pairs add up: two plays of a track are more evidence than one.
            if last == Some((row, column)) {
                *values.last_mut().expect("a repeated pair follows its first") += value;
                continue;
            }
            last = Some((row, column));
            starts[row as usize + 1] += 1;
            columns.push(column);
            values.push(value);
        }
        for row in 0..rows {
            starts[row + 1] += starts[row];
        }
        Self { starts, columns, values }
    }

    fn row(&self, row: usize) -> (&[u32], &[f32]) {
        let range = self.starts[row]..self.starts[row + 1];
        (&self.columns[range.clone()], &self.values[range])
    }
}

impl Dataset {
    /// Builds the matrix from `(user, item, confidence)` triples. Repeated pairs add up; pairs
    /// whose sum is not positive (more skips than listens) and indexes out of range are left
    /// out, so a model never learns from them.
    pub fn from_triples(n_users: usize, n_items: usize, triples: impl IntoIterator<Item = (u32, u32, f32)>) -> Self {
        let in_range: Vec<(u32, u32, f32)> = triples
            .into_iter()
            .filter(|&(user, item, value)| (user as usize) < n_users && (item as usize) < n_items && value.is_finite())
            .collect();
        let summed = Sparse::from_sorted(n_users, in_range);
        let positive: Vec<(u32, u32, f32)> = (0..n_users)
            .flat_map(|user| {
                let (items, values) = summed.row(user);
                items
                    .iter()
                    .zip(values)
                    .filter(|&(_, &value)| value > 0.0)
                    .map(move |(&item, &value)| (user as u32, item, value))
            })
            .collect();
        let transposed = positive.iter().map(|&(user, item, value)| (item, user, value)).collect();
        Self {
            n_users,
            n_items,
            by_user: Sparse::from_sorted(n_users, positive),
            by_item: Sparse::from_sorted(n_items, transposed),
        }
    }

    pub fn n_users(&self) -> usize {
        self.n_users
    }

    pub fn n_items(&self) -> usize {
        self.n_items
    }

    /// Non-zero entries.
    pub fn len(&self) -> usize {
        self.by_user.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One user's items (sorted) and their confidences.
    pub fn items_of(&self, user: u32) -> (&[u32], &[f32]) {
        self.by_user.row(user as usize)
    }

    /// One item's users (sorted) and their confidences.
    pub fn users_of(&self, item: u32) -> (&[u32], &[f32]) {
        self.by_item.row(item as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_pairs_add_up_and_non_positive_sums_are_left_out() {
        let data = Dataset::from_triples(
            2,
            3,
            [(0, 2, 1.0), (0, 2, 0.5), (0, 1, 1.0), (0, 1, -1.0), (1, 0, 2.0), (5, 0, 1.0)],
        );
        assert_eq!(data.items_of(0), (&[2][..], &[1.5][..]));
        assert_eq!(data.items_of(1), (&[0][..], &[2.0][..]));
        assert_eq!(data.users_of(2), (&[0][..], &[1.5][..]));
        assert_eq!(data.users_of(1), (&[][..], &[][..]));
        assert_eq!(data.len(), 2);
    }

    #[test]
    fn an_empty_matrix_has_empty_rows() {
        let data = Dataset::from_triples(0, 0, []);
        assert!(data.is_empty());
        let data = Dataset::from_triples(1, 1, []);
        assert_eq!(data.items_of(0).0.len(), 0);
    }
}
