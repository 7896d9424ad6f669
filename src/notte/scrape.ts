import { z } from 'zod';
import { MAX_CURSOR, MAX_ITEMS, MAX_NAME, MAX_TEXT, MAX_URL } from './limits.js';
import { TOOL } from './toolNames.js';

/** Defaults of the scrape endpoint (Notte `ScrapeRequest`); the `scrape` step action differs: only_main_content=true. */
export const SCRAPE_DEFAULT_MAX_TOKENS = 10_000;

export const ScrapeInputShape = {
  url: z
    .string()
    .max(MAX_URL)
    .optional()
    .describe('Open this http(s) URL first.'),
  selector: z
    .string()
    .max(MAX_TEXT)
    .nullish()
    .describe('Only this element (a Playwright selector).'),
  scrape_links: z.boolean().default(true).describe('Keep links as [text](url).'),
  scrape_images: z.boolean().default(false).describe('Keep images as ![alt](url).'),
  ignored_tags: z
    .array(z.string().max(MAX_NAME))
    .max(MAX_ITEMS)
    .nullish()
    .describe('Tags or selectors to drop.'),
  only_main_content: z
    .boolean()
    .default(false)
    .describe('No nav, header, footer, sidebars.'),
  only_images: z
    .boolean()
    .default(false)
    .describe('List the images instead.'),
  response_format: z
    .record(z.string(), z.unknown())
    .nullish()
    .describe('JSON Schema of the data to extract into structured.data.'),
  instructions: z
    .string()
    .max(MAX_TEXT)
    .nullish()
    .describe('What to extract, in words (needs client sampling).'),
  use_link_placeholders: z
    .boolean()
    .default(false)
    .describe('Repeated URLs as [text][n] with one table at the end.'),
  max_tokens: z
    .number()
    .int()
    .min(200)
    .max(200_000)
    .default(SCRAPE_DEFAULT_MAX_TOKENS)
    .describe('Tokens per part; the rest comes with next_cursor.'),
  cursor: z
    .string()
    .max(MAX_CURSOR)
    .optional()
    .describe(`next_cursor of the last ${TOOL.scrape} (same other arguments).`),
};

export const ScrapeInput = z.object(ScrapeInputShape);

export const ImageCategory = z.enum(['favicon', 'icon', 'content_image', 'decorative', 'svg_icon', 'svg_content']);

export const ImageData = z.object({
  url: z.string().optional().describe('Absolute URL; absent for inline svg and large data: images.'),
  category: ImageCategory.optional(),
  description: z.string().optional().describe('alt text, title, aria-label or figure caption.'),
});

export const StructuredData = z.object({
  success: z.boolean(),
  error: z.string().nullable().describe('Why extraction failed; null on success.'),
  data: z.unknown().describe('The extracted JSON (object or array) as-is; null on failure.'),
});

export const DataSpace = z.object({
  markdown: z.string().describe('The page (or this part of it) as markdown.'),
  images: z.array(ImageData).nullable(),
  structured: StructuredData.nullable(),
  next_cursor: z
    .string()
    .optional()
    .describe('Present when the markdown was cut at max_tokens: pass it as `cursor` to read on.'),
});

export type ScrapeInput = z.infer<typeof ScrapeInput>;
export type ScrapeInputArgs = z.input<typeof ScrapeInput>;
export type ImageCategory = z.infer<typeof ImageCategory>;
export type ImageData = z.infer<typeof ImageData>;
export type StructuredData = z.infer<typeof StructuredData>;
export type DataSpace = z.infer<typeof DataSpace>;
