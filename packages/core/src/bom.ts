/**
 * The bytes of a text file without a leading UTF-8 byte-order mark (EF BB BF), which Windows
 * editors and spreadsheet exports write and which would otherwise glue itself to the first word
 * ("\u00ef\u00bb\u00bfv 0 0 0" is not a vertex line). A subarray, so byte offsets into the rest still hold.
 */
export function withoutBom(bytes: Uint8Array): Uint8Array {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}
