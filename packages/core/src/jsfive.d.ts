// jsfive ships no types; src/h5.ts declares the little of its API it uses.
declare module 'jsfive';
