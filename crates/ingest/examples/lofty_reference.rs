//! The scan benchmark's reference: lofty alone reading every audio file's tags and
//! properties on one thread per core, with no catalog, fingerprint or cover work.
//! `cargo run --release -p tonearm-ingest --example lofty_reference -- DIR`

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).expect("usage: lofty_reference DIR"));
    let started = Instant::now();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.'))
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|ext| ext != "jpg"))
        .collect();
    let next = AtomicUsize::new(0);
    let read = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..std::thread::available_parallelism().map_or(2, |n| n.get()) {
            scope.spawn(|| {
                while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if lofty::read_from_path(path).is_ok() {
                        read.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let read = read.into_inner();
    println!("read {read} files in {seconds:.3} s: {:.0} files/s", read as f64 / seconds);
}
