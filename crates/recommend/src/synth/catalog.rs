//! The synthetic catalog: genres of unequal size, artists inside each genre, tracks inside
//! each artist, and popularity that falls off as Zipf's law both across the artists of a
//! genre and across the tracks of an artist (a few hits, a long tail), as in real listening.

use rand::Rng;
use rand::seq::index;

use super::zipf::Zipf;

/// How fast genres fall off in size and in listeners: gentle, because even a niche genre
/// has a real audience.
const GENRE_EXPONENT: f64 = 0.7;
/// Across the artists of a genre, and across the tracks of an artist.
const ARTIST_EXPONENT: f64 = 1.0;
const TRACK_EXPONENT: f64 = 1.0;
/// The mean number of tracks per artist: a few albums' worth of singles and deep cuts.
const TRACKS_PER_ARTIST: usize = 10;

#[derive(Debug, Clone)]
pub(super) struct Catalog {
    /// Per track: its artist. An artist's tracks are consecutive, most popular first.
    track_artist: Vec<u32>,
    /// Per artist: where its tracks start; `artist_starts[artist + 1]` is where they end.
    artist_starts: Vec<u32>,
    artist_genre: Vec<u16>,
    /// Per genre: its artists, most popular first.
    genre_artists: Vec<Vec<u32>>,
    /// Cumulative genre popularity, for drawing a genre as a random listener would.
    genre_cumulative: Vec<f64>,
    artist_zipf: Zipf,
    track_zipf: Zipf,
}

impl Catalog {
    /// `tracks >= genres >= 1`, checked by the caller.
    pub(super) fn generate(tracks: usize, genres: usize, rng: &mut impl Rng) -> Self {
        debug_assert!(genres >= 1 && tracks >= genres);
        let artists = (tracks / TRACKS_PER_ARTIST).clamp(genres, tracks);
        // Random cut points make artist sizes vary the way discographies do (many small, a few large).
        let mut cuts: Vec<u32> =
            index::sample(rng, tracks - 1, artists - 1).into_iter().map(|cut| cut as u32 + 1).collect();
        cuts.sort_unstable();
        let mut artist_starts = Vec::with_capacity(artists + 1);
        artist_starts.push(0);
        artist_starts.extend(cuts);
        artist_starts.push(tracks as u32);

        let mut track_artist = Vec::with_capacity(tracks);
        for artist in 0..artists {
            let size = (artist_starts[artist + 1] - artist_starts[artist]) as usize;
            track_artist.extend(std::iter::repeat_n(artist as u32, size));
        }

        let genre_zipf = Zipf::new(GENRE_EXPONENT, genres);
        let mut genre_cumulative = Vec::with_capacity(genres);
        let mut sum = 0.0;
        for genre in 0..genres {
            sum += genre_zipf.weight(genre);
            genre_cumulative.push(sum);
        }

        // The first artist of each genre makes sure no genre is empty; the rest go where listeners are.
        let mut artist_genre = Vec::with_capacity(artists);
        let mut genre_artists = vec![Vec::new(); genres];
        for artist in 0..artists {
            let genre = if artist < genres { artist } else { draw_cumulative(&genre_cumulative, rng) };
            artist_genre.push(genre as u16);
            genre_artists[genre].push(artist as u32);
        }

        let longest_genre = genre_artists.iter().map(Vec::len).max().unwrap_or(1);
        let longest_artist = artist_starts.windows(2).map(|pair| (pair[1] - pair[0]) as usize).max().unwrap_or(1);
        Self {
            track_artist,
            artist_starts,
            artist_genre,
            genre_artists,
            genre_cumulative,
            artist_zipf: Zipf::new(ARTIST_EXPONENT, longest_genre),
            track_zipf: Zipf::new(TRACK_EXPONENT, longest_artist),
        }
    }

    pub(super) fn genres(&self) -> usize {
        self.genre_artists.len()
    }

    pub(super) fn genre_of_track(&self, track: u32) -> u16 {
        self.artist_genre[self.track_artist[track as usize] as usize]
    }

    pub(super) fn track_genres(&self) -> Vec<u16> {
        self.track_artist.iter().map(|&artist| self.artist_genre[artist as usize]).collect()
    }

    pub(super) fn track_artists(&self) -> &[u32] {
        &self.track_artist
    }

    /// A genre, the popular ones more often.
    pub(super) fn draw_genre(&self, rng: &mut impl Rng) -> u16 {
        draw_cumulative(&self.genre_cumulative, rng) as u16
    }

    /// An artist of `genre`, the popular ones more often.
    pub(super) fn draw_artist(&self, genre: u16, rng: &mut impl Rng) -> u32 {
        let artists = &self.genre_artists[genre as usize];
        artists[self.artist_zipf.sample(artists.len(), rng)]
    }

    /// A track of `artist`, its hits more often.
    pub(super) fn draw_track(&self, artist: u32, rng: &mut impl Rng) -> u32 {
        let start = self.artist_starts[artist as usize];
        let size = (self.artist_starts[artist as usize + 1] - start) as usize;
        start + self.track_zipf.sample(size, rng) as u32
    }

    /// Any track, as the catalog's popularity has it: what a listener finds on charts and radio.
    pub(super) fn draw_any_track(&self, rng: &mut impl Rng) -> u32 {
        let genre = self.draw_genre(rng);
        let artist = self.draw_artist(genre, rng);
        self.draw_track(artist, rng)
    }
}

/// An index drawn with the weights whose running sums are `cumulative`.
pub(super) fn draw_cumulative(cumulative: &[f64], rng: &mut impl Rng) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let target = rng.random::<f64>() * total;
    cumulative.partition_point(|&sum| sum <= target).min(cumulative.len() - 1)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    use super::*;

    #[test]
    fn every_genre_has_an_artist_and_every_artist_a_track() {
        let catalog = Catalog::generate(100, 7, &mut SmallRng::seed_from_u64(3));
        assert_eq!(catalog.track_artist.len(), 100);
        assert!(catalog.genre_artists.iter().all(|artists| !artists.is_empty()));
        assert!(catalog.artist_starts.windows(2).all(|pair| pair[1] > pair[0]));
        assert!(catalog.track_genres().iter().all(|&genre| (genre as usize) < 7));
    }

    #[test]
    fn as_many_genres_as_tracks_gives_one_track_each() {
        let catalog = Catalog::generate(5, 5, &mut SmallRng::seed_from_u64(3));
        let mut genres = catalog.track_genres();
        genres.sort_unstable();
        assert_eq!(genres, [0, 1, 2, 3, 4]);
    }
}
