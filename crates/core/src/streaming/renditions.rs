//! What a listener may receive of a track as adaptive streams, and the files behind a
//! rendition's content address: the addresses are checked against the catalog and the
//! stored key before anything is served or made, so a stale or forged address is "not
//! found" and starts no job.

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tonearm_auth::AccessClaims;
use tonearm_auth::policy;
use tonearm_auth::stream_keys::ContentKey;
use tonearm_delivery::ObjectBody;
use tonearm_domain::{Tier, TrackId};
use tonearm_media::Rendition;
use tonearm_media::encryption::decrypt_segment;
use tonearm_model::StreamSource;
use tonearm_packager::{MediaFile, RenditionAddress};

use super::access::Skips;
use super::adaptive::{Adaptive, TrackMedia, entitled_kbps};
use super::sources::StreamSources;
use crate::error::{ServiceError, ServiceResult};

/// The renditions a tier may receive of one track, lowest first, with their addresses.
pub struct TierRenditions {
    pub media: TrackMedia,
    pub renditions: Vec<Rendition>,
    pub addresses: Vec<RenditionAddress>,
}

impl TierRenditions {
    /// One digest over the renditions a master playlist lists: it changes when any of
    /// them does, so the master's own address is content-addressed too.
    pub fn master_digest(&self) -> String {
        let mut digest = Sha256::new();
        for address in &self.addresses {
            digest.update(format!("{}={}\n", address.rendition, address.digest));
        }
        digest.finalize()[..16].iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// A rendition address checked against the catalog and the stored key.
pub struct ResolvedRendition {
    pub media: TrackMedia,
    pub rendition: Rendition,
    wrapped_key: Vec<u8>,
}

#[derive(Clone)]
pub struct Renditions {
    sources: StreamSources,
    adaptive: Adaptive,
    skips: Skips,
}

impl Renditions {
    pub fn new(sources: StreamSources, adaptive: Adaptive, skips: Skips) -> Self {
        Self { sources, adaptive, skips }
    }

    pub fn adaptive(&self) -> &Adaptive {
        &self.adaptive
    }

    /// What `tier` may receive of `track`, with the content addresses; keys missing so far
    /// are made (this is a listener's entry point).
    pub async fn for_listener(&self, track: TrackId, tier: Tier) -> ServiceResult<TierRenditions> {
        let source = self.sources.get(track).await?;
        let renditions = self.adaptive.renditions_for(tier, &source)?.into_iter().cloned().collect();
        let made = self.addressed(source, renditions, true).await?;
        made.ok_or_else(|| ServiceError::internal_bare("the keys were made, yet one is missing"))
    }

    /// How a player asks for the next track: as `for_listener`, and with `skip` the free
    /// tier's skip is counted once the track is allowed (a refused track costs no skip).
    pub async fn next_track(&self, claims: &AccessClaims, track: TrackId, skip: bool) -> ServiceResult<TierRenditions> {
        let offered = self.for_listener(track, claims.tier).await?;
        if skip {
            self.skips.count(claims).await?;
        }
        Ok(offered)
    }

    /// The renditions of a tier's master playlist named by its digest; makes no keys (this
    /// is a public route), and a digest that is not current is not found.
    pub async fn tier_master(&self, track: TrackId, tier: &str, digest: &str) -> ServiceResult<TierRenditions> {
        let stale = || {
            ServiceError::NotFound(format!("no such master playlist of track {}: the track may have changed", track.0))
        };
        let tier = Tier::parse(tier).ok_or_else(stale)?;
        let source = self.sources.get(track).await?;
        let renditions =
            self.adaptive.renditions_for(tier, &source).map_err(|_| stale())?.into_iter().cloned().collect();
        let master = self.addressed(source, renditions, false).await?.ok_or_else(stale)?;
        if master.master_digest() != digest {
            return Err(stale());
        }
        Ok(master)
    }

    /// The renditions with their content addresses; `None` when a key is missing and
    /// `make_keys` is false.
    async fn addressed(
        &self,
        source: StreamSource,
        renditions: Vec<Rendition>,
        make_keys: bool,
    ) -> ServiceResult<Option<TierRenditions>> {
        let media = self.adaptive.track_media(source)?;
        let offered: Vec<&Rendition> = renditions.iter().collect();
        let addresses = self.adaptive.addresses(&media, &offered, make_keys).await?;
        Ok(addresses.map(|addresses| TierRenditions { media, renditions, addresses }))
    }

    /// The AES-128 key of one rendition, for a listener of `tier` entitled to it.
    pub async fn key(&self, track: TrackId, rendition: &str, tier: Tier) -> ServiceResult<ContentKey> {
        let source = self.sources.get(track).await?;
        let rendition = self.find(rendition)?;
        policy::may_stream_rendition(tier, source.premium_only, entitled_kbps(rendition))?;
        let wrapped = self.adaptive.wrapped_key(track, rendition).await?;
        self.adaptive.unwrap_key(track, rendition, &wrapped)
    }

    /// A rendition address checked against the catalog and the stored key.
    pub async fn resolve(&self, address: &RenditionAddress) -> ServiceResult<ResolvedRendition> {
        let rendition = self.find(&address.rendition)?.clone();
        let source = self.sources.get(TrackId(address.track)).await?;
        let media = self.adaptive.track_media(source)?;
        let wrapped_key = self
            .adaptive
            .existing_wrapped_key(TrackId(address.track), &rendition)
            .await?
            .ok_or_else(|| no_such_file(address))?;
        if self.adaptive.address(&media, &rendition, &wrapped_key) != *address {
            return Err(no_such_file(address));
        }
        Ok(ResolvedRendition { media, rendition, wrapped_key })
    }

    /// A file of a rendition as stored (segments encrypted): from the cache, or made on
    /// demand once the address is resolved.
    pub async fn file(&self, address: &RenditionAddress, file: MediaFile) -> ServiceResult<ObjectBody> {
        if let Some(body) = self.adaptive.packager().cached(address, file).await? {
            return Ok(body);
        }
        let resolved = self.resolve(address).await?;
        if let MediaFile::Segment(index) = file
            && index >= self.adaptive.timeline(&resolved.media, &resolved.rendition).segment_count()
        {
            return Err(no_such_file(address));
        }
        let key = self.adaptive.unwrap_key(TrackId(address.track), &resolved.rendition, &resolved.wrapped_key)?;
        let adaptive = &self.adaptive;
        Ok(adaptive
            .packager()
            .made(address, file, || adaptive.job(&resolved.media, &resolved.rendition, address.clone(), key))
            .await?)
    }

    /// A file of a rendition in the clear, for players that cannot decrypt (DASH); with a
    /// `tier`, checked against its entitlement first.
    pub async fn clear_file(
        &self,
        address: &RenditionAddress,
        file: MediaFile,
        tier: Option<Tier>,
    ) -> ServiceResult<Bytes> {
        let track = TrackId(address.track);
        let rendition = self.find(&address.rendition)?;
        if let Some(tier) = tier {
            let source = self.sources.get(track).await?;
            policy::may_stream_rendition(tier, source.premium_only, entitled_kbps(rendition))?;
        }
        let stored = self
            .file(address, file)
            .await?
            .into_bytes()
            .await
            .map_err(|error| ServiceError::internal("reading a cached segment failed", error))?;
        let MediaFile::Segment(index) = file else {
            return Ok(stored);
        };
        let wrapped =
            self.adaptive.existing_wrapped_key(track, rendition).await?.ok_or_else(|| no_such_file(address))?;
        let key = self.adaptive.unwrap_key(track, rendition, &wrapped)?;
        let clear = decrypt_segment(&key, u64::from(index), &stored).ok_or_else(|| {
            tracing::error!(rendition = %address.prefix(), "a cached segment does not decrypt");
            ServiceError::internal_bare("a cached segment does not decrypt")
        })?;
        Ok(Bytes::from(clear))
    }

    fn find(&self, id: &str) -> ServiceResult<&Rendition> {
        self.adaptive.ladder().find(id).ok_or_else(|| ServiceError::NotFound(format!("no rendition `{id}` is offered")))
    }
}

/// A file that cannot exist at this address: named the same for every cause, so an
/// address reveals nothing.
pub fn no_such_file(address: &RenditionAddress) -> ServiceError {
    ServiceError::NotFound(format!(
        "no such file of rendition {} of track {}: the track may have changed",
        address.rendition, address.track
    ))
}
