//! A track's original file for a listener: the stream link a player asks for before each
//! track (tier rules and the free tier's skips checked there), the stream behind it, and
//! the Premium download.

use tonearm_auth::AccessClaims;
use tonearm_auth::policy;
use tonearm_domain::{Tier, TrackId, UserId};
use tonearm_model::StreamSource;

use super::access::{Skips, track_access};
use super::sources::StreamSources;
use crate::error::ServiceResult;
use crate::stores::{Catalog, Users};

/// Who asks for a stream.
pub enum Requester<'a> {
    /// A bearer token: its tier's rules are checked on every request.
    Bearer(&'a AccessClaims),
    /// A signed link (`<audio src>`): its listener's rules were checked when it was issued.
    SignedLink(UserId),
}

/// A file to save, and the name a listener's device should give it.
pub struct Download {
    pub source: StreamSource,
    pub extension: String,
    /// `Artist - Title.ext`.
    pub file_name: String,
}

#[derive(Clone)]
pub struct Originals {
    sources: StreamSources,
    catalog: Catalog,
    users: Users,
    skips: Skips,
}

impl Originals {
    pub fn new(sources: StreamSources, catalog: Catalog, users: Users, skips: Skips) -> Self {
        Self { sources, catalog, users, skips }
    }

    /// Whether a player may be given a stream link to the track; a skip is counted against
    /// the free tier's limit only once the track is allowed.
    pub async fn allow_link(&self, claims: &AccessClaims, track: TrackId, skip: bool) -> ServiceResult<()> {
        let source = self.sources.get(track).await?;
        policy::may_stream_original(claims.tier, &track_access(&source))?;
        if skip {
            self.skips.count(claims).await?;
        }
        Ok(())
    }

    /// The original behind a stream request.
    pub async fn for_stream(&self, requester: &Requester<'_>, track: TrackId) -> ServiceResult<StreamSource> {
        let source = self.sources.get(track).await?;
        if let Requester::Bearer(claims) = requester {
            policy::may_stream_original(claims.tier, &track_access(&source))?;
        }
        Ok(source)
    }

    /// The source of a progressive transcode and the tier it is capped to (the transcode
    /// applies the tier's rules itself): a signed link's listener's current tier, so a link
    /// issued before a downgrade is not a way around it.
    pub async fn for_transcode(
        &self,
        requester: &Requester<'_>,
        track: TrackId,
    ) -> ServiceResult<(StreamSource, Tier)> {
        let source = self.sources.get(track).await?;
        let tier = match requester {
            Requester::Bearer(claims) => claims.tier,
            Requester::SignedLink(user) => self.users.user(*user).await?.tier,
        };
        Ok((source, tier))
    }

    /// The original as a file to keep: Premium only.
    pub async fn for_download(&self, claims: &AccessClaims, track: TrackId) -> ServiceResult<Download> {
        policy::may_download(claims.tier)?;
        let source = self.sources.get(track).await?;
        policy::may_stream_original(claims.tier, &track_access(&source))?;
        let track = self.catalog.track(track).await?.summary;
        let extension =
            std::path::Path::new(&source.path).extension().and_then(|e| e.to_str()).unwrap_or("audio").to_owned();
        let artist = track.artists.first().map_or(track.album_artist.name.as_str(), |artist| artist.name.as_str());
        let file_name = format!("{artist} - {}.{extension}", track.title);
        Ok(Download { source, extension, file_name })
    }
}
