// hls.js ships no declarations for its light build (no subtitles, alternate audio, EME or
// CMCD; the same API and AES-128 decryption): the full build's types fit. The minified
// file is imported because esbuild's minification of the plain one is 4 kB larger gzipped.
declare module 'hls.js/dist/hls.light.min.mjs' {
  export * from 'hls.js';
  export { default } from 'hls.js';
}
