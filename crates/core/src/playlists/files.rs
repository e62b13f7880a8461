//! Playlist files other players read and write: extended M3U in UTF-8 (M3U8, written and
//! read) and XSPF (written). Pure text in, text out; matching entries to the catalog is
//! the caller's.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// One track as a playlist file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Relative to the library root, `/`-separated.
    pub path: String,
    /// The credited artists, as one text.
    pub artist: String,
    pub title: String,
    pub album: String,
    pub duration_ms: i64,
}

/// `#EXTM3U` with an `#EXTINF:<seconds>,<artist> - <title>` line before each path.
pub fn write_m3u8(name: &str, entries: &[FileEntry]) -> String {
    let mut out = String::from("#EXTM3U\n");
    out.push_str(&format!("#PLAYLIST:{}\n", one_line(name)));
    for entry in entries {
        // Whole seconds, rounded: what every reader of #EXTINF expects.
        let seconds = (entry.duration_ms + 500) / 1000;
        out.push_str(&format!("#EXTINF:{seconds},{} - {}\n", one_line(&entry.artist), one_line(&entry.title)));
        out.push_str(&one_line(&entry.path));
        out.push('\n');
    }
    out
}

/// Line breaks inside a value would start a new directive or entry.
fn one_line(text: &str) -> String {
    text.chars().map(|character| if character.is_control() { ' ' } else { character }).collect()
}

/// An entry of an M3U file as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M3uEntry {
    /// 1-based line of the location, for reporting it back.
    pub line: usize,
    /// As written: a relative or absolute path, or a `file://` URL.
    pub location: String,
    /// From the `#EXTINF` line before it, when that says `artist - title`.
    pub artist: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct M3uPlaylist {
    /// `#PLAYLIST:` when present.
    pub name: Option<String>,
    pub entries: Vec<M3uEntry>,
}

/// Reads plain and extended M3U: every line that is neither blank nor a `#` directive is
/// an entry; an `#EXTINF` line names the entry after it.
pub fn parse_m3u(text: &str) -> M3uPlaylist {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut playlist = M3uPlaylist::default();
    let mut pending: Option<(Option<String>, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(info) = line.strip_prefix("#EXTINF:") {
            pending = extinf_artist_title(info);
            continue;
        }
        if let Some(name) = line.strip_prefix("#PLAYLIST:") {
            playlist.name = Some(name.trim().to_owned()).filter(|name| !name.is_empty());
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (artist, title) = match pending.take() {
            Some((artist, title)) => (artist, Some(title)),
            None => (None, None),
        };
        playlist.entries.push(M3uEntry { line: index + 1, location: line.to_owned(), artist, title });
    }
    playlist
}

/// `123 tvg-id="x",Artist - Title` → the artist (if any) and the title.
fn extinf_artist_title(info: &str) -> Option<(Option<String>, String)> {
    let (_, display) = info.split_once(',')?;
    let display = display.trim();
    match display.split_once(" - ") {
        Some((artist, title)) if !artist.trim().is_empty() && !title.trim().is_empty() => {
            Some((Some(artist.trim().to_owned()), title.trim().to_owned()))
        }
        _ => Some((None, display.to_owned())).filter(|(_, title)| !title.is_empty()),
    }
}

/// XSPF 1 (https://xspf.org/spec): locations are relative URI references, so the path's
/// characters that URIs reserve are percent-encoded, and the text is XML-escaped.
pub fn write_xspf(name: &str, entries: &[FileEntry]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n");
    out.push_str(&format!("  <title>{}</title>\n  <trackList>\n", xml_text(name)));
    for entry in entries {
        let location: String = utf8_percent_encode(&entry.path, URI_PATH).to_string();
        out.push_str("    <track>\n");
        out.push_str(&format!("      <location>{}</location>\n", xml_text(&location)));
        out.push_str(&format!("      <title>{}</title>\n", xml_text(&entry.title)));
        out.push_str(&format!("      <creator>{}</creator>\n", xml_text(&entry.artist)));
        out.push_str(&format!("      <album>{}</album>\n", xml_text(&entry.album)));
        out.push_str(&format!("      <duration>{}</duration>\n", entry.duration_ms.max(0)));
        out.push_str("    </track>\n");
    }
    out.push_str("  </trackList>\n</playlist>\n");
    out
}

/// What a path segment may not hold unescaped (RFC 3986 §3.3, plus `%` itself); `/` stays
/// a separator.
const URI_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Escapes markup and drops the characters XML 1.0 cannot carry at all (§2.2: control
/// characters other than tab, line feed and carriage return, U+FFFE and U+FFFF).
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(character),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            _ => out.push(character),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, artist: &str, title: &str, duration_ms: i64) -> FileEntry {
        FileEntry {
            path: path.to_owned(),
            artist: artist.to_owned(),
            title: title.to_owned(),
            album: "Album".to_owned(),
            duration_ms,
        }
    }

    #[test]
    fn m3u8_written_is_read_back() {
        let entries =
            [entry("A/B/01 - One.flac", "Ann, Bo", "One - Live", 61_600), entry("C/02.mp3", "Cé", "Two\nLines", 400)];
        let text = write_m3u8("Mix\r\nname", &entries);
        assert!(text.starts_with("#EXTM3U\n#PLAYLIST:Mix  name\n#EXTINF:62,Ann, Bo - One - Live\nA/B/01 - One.flac\n"));
        let read = parse_m3u(&text);
        assert_eq!(read.name.as_deref(), Some("Mix  name"));
        let locations: Vec<&str> = read.entries.iter().map(|entry| entry.location.as_str()).collect();
        assert_eq!(locations, ["A/B/01 - One.flac", "C/02.mp3"]);
        assert_eq!(read.entries[0].artist.as_deref(), Some("Ann, Bo"));
        assert_eq!(read.entries[0].title.as_deref(), Some("One - Live"), "split at the first ` - `");
        assert_eq!((read.entries[1].line, read.entries[1].title.as_deref()), (6, Some("Two Lines")));
    }

    #[test]
    fn plain_m3u_with_a_bom_crlf_and_comments_is_read() {
        let read =
            parse_m3u("\u{feff}# a comment\r\n\r\n/music/x.mp3\r\n#EXTINF:-1,Just A Title\r\nfile:///m/y.ogg\r\n");
        assert_eq!(read.name, None);
        assert_eq!(read.entries.len(), 2);
        assert_eq!((read.entries[0].line, read.entries[0].title.clone()), (3, None));
        assert_eq!((read.entries[1].artist.clone(), read.entries[1].title.as_deref()), (None, Some("Just A Title")));
    }

    #[test]
    fn xspf_escapes_markup_and_encodes_locations() {
        let text = write_xspf("Rock & <Roll>", &[entry("AC/DC's \"Best\"/01 #1 100%.mp3", "A\u{1}C", "It's <on>", 5)]);
        assert!(text.contains("<title>Rock &amp; &lt;Roll&gt;</title>"), "{text}");
        assert!(text.contains("<location>AC/DC&apos;s%20%22Best%22/01%20%231%20100%25.mp3</location>"), "{text}");
        assert!(text.contains("<creator>AC</creator>"), "control characters are dropped: {text}");
        assert!(text.contains("<title>It&apos;s &lt;on&gt;</title>"));
    }
}
