/**
 * Escapes text for XML and HTML content and attribute values (`&`, `<`, `>`, `"`, `'`), and
 * drops the control characters XML 1.0 forbids, so any string can be embedded safely.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
