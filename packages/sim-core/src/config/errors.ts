import type { z } from 'zod';

/** Formats a zod error as one line per problem, each naming the full path of the bad field. */
export function formatZodError(error: z.ZodError, prefix?: string): string {
  const lines = error.issues.map((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || '(config)';
    return `  ${path}: ${issue.message}`;
  });
  return `Invalid gripgen config:\n${lines.join('\n')}`;
}
