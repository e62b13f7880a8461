//! Full tags on every demo file, written with lofty: several artists as separate values
//! (not a joined string), numbers, date, genre and the front cover.

use std::path::Path;

use lofty::config::WriteOptions;
use lofty::file::{AudioFile, TaggedFileExt};
use lofty::picture::{MimeType, Picture, PictureType};
use lofty::prelude::{Accessor, ItemKey};
use lofty::tag::{ItemValue, Tag, TagItem, TagType};

use crate::DemoError;
use crate::plan::{TrackPlan, VARIOUS_ARTISTS};

pub fn write_tags(path: &Path, track: &TrackPlan, cover: Option<&[u8]>) -> Result<(), DemoError> {
    let tag_error =
        |error: &dyn std::fmt::Display| DemoError::Tags { path: path.display().to_string(), detail: error.to_string() };
    let mut file = lofty::read_from_path(path).map_err(|e| tag_error(&e))?;
    // RIFF INFO cannot hold pictures or repeated artists: WAV files carry ID3v2 instead.
    let tag_type = match file.primary_tag_type() {
        TagType::RiffInfo => TagType::Id3v2,
        other => other,
    };
    let mut tag = Tag::new(tag_type);
    tag.set_title(track.title.clone());
    tag.set_album(track.album.clone());
    for artist in &track.artists {
        tag.push(TagItem::new(ItemKey::TrackArtist, ItemValue::Text(artist.clone())));
    }
    tag.insert_text(ItemKey::AlbumArtist, track.album_artist.clone());
    if track.album_artist == VARIOUS_ARTISTS {
        tag.insert_text(ItemKey::FlagCompilation, "1".to_owned());
    }
    tag.set_track(track.track_number);
    tag.set_track_total(track.track_total);
    tag.set_disk(1);
    tag.set_disk_total(1);
    tag.insert_text(ItemKey::RecordingDate, track.year.to_string());
    tag.set_genre(track.genre.clone());
    if let Some(cover) = cover {
        tag.push_picture(
            Picture::unchecked(cover.to_vec()).pic_type(PictureType::CoverFront).mime_type(MimeType::Jpeg).build(),
        );
    }
    file.insert_tag(tag);
    file.save_to_path(path, WriteOptions::default()).map_err(|e| tag_error(&e))
}
