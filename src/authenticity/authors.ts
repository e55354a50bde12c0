/**
 * Author names that name no one: what review pages show for any reviewer
 * who set no name ("Amazon Customer", "A Google user", "Anonymous",
 * "Cliente de Amazon", "Un utente di Google"). Hundreds of reviews of one
 * product can carry such a name; read as one author they would be one
 * prolific reviewer, and every copy among them "by the same author". The
 * cross-review pass takes them as no author; results keep the name as given.
 */
const PLACEHOLDERS = new Set([
  // English
  'amazon customer', 'kindle customer', 'a google user', 'google user', 'anonymous', 'anonymous user', 'anonymous customer',
  'anonymous reviewer', 'anon', 'guest', 'guest user', 'customer', 'user', 'reviewer', 'verified buyer', 'verified purchaser',
  'verified customer', 'verified reviewer', 'a tripadvisor member', 'tripadvisor member', 'unknown', 'private', 'deleted',
  '[deleted]', 'n/a', 'na', 'none', 'null', 'undefined', '-', '--', '?',
  // Spanish
  'cliente de amazon', 'cliente amazon', 'un usuario de google', 'usuario de google', 'anónimo', 'anonimo', 'anónima', 'anonima',
  'usuario anónimo', 'usuario anonimo', 'invitado', 'invitada', 'cliente', 'usuario', 'usuaria', 'comprador verificado',
  'compradora verificada', 'cliente verificado', 'cliente verificada', 'desconocido', 'un miembro de tripadvisor', 'miembro de tripadvisor',
  // Italian
  'cliente di amazon', 'un utente di google', 'utente di google', 'utente anonimo', 'ospite', 'utente', 'acquirente verificato',
  'acquirente verificata', 'sconosciuto', 'un membro di tripadvisor', 'membro di tripadvisor',
])

/** Longest placeholder name, in characters: longer names are real ones without a lookup. */
const MAX_PLACEHOLDER = Math.max(...[...PLACEHOLDERS].map((p) => p.length))

/**
 * Whether an author name names no one (see `PLACEHOLDERS`): compared in
 * lower case, without the spaces around it.
 *
 * @param author The row's author, as coerced.
 */
export function isPlaceholderAuthor(author: string): boolean {
  if (author.length > MAX_PLACEHOLDER + 8) return false
  return PLACEHOLDERS.has(author.trim().toLowerCase().replace(/\s+/g, ' '))
}
