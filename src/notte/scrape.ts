import { z } from 'zod';

/** Defaults of the scrape endpoint (Notte `ScrapeRequest`); the `scrape` step action differs: only_main_content=true. */
export const SCRAPE_DEFAULT_MAX_TOKENS = 10_000;

export const ScrapeInputShape = {
  url: z
    .string()
    .optional()
    .describe('Navigate the session to this http(s) URL first, then scrape. Omit to scrape the current page.'),
  selector: z
    .string()
    .nullish()
    .describe('Playwright selector (CSS, text=…, xpath=…) of one element to limit the scrape to. Omit for the whole page.'),
  scrape_links: z.boolean().default(true).describe('Keep links as [text](absolute url). false keeps only their text.'),
  scrape_images: z.boolean().default(false).describe('Keep images as ![alt](url). false drops them.'),
  ignored_tags: z
    .array(z.string())
    .nullish()
    .describe('Tag names (or CSS selectors) to leave out, e.g. ["nav", "footer"].'),
  only_main_content: z
    .boolean()
    .default(false)
    .describe('Keep only the main content (article body), dropping navigation, headers, footers and sidebars.'),
  only_images: z
    .boolean()
    .default(false)
    .describe('Return the page images (url, category, description) in `images` instead of markdown.'),
  response_format: z
    .record(z.string(), z.unknown())
    .nullish()
    .describe('A JSON Schema for structured output in `structured.data`, e.g. {"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"price":{"type":"number"}}}}.'),
  instructions: z
    .string()
    .nullish()
    .describe('What to extract, in words. With or without response_format; needs a client that offers MCP sampling.'),
  use_link_placeholders: z
    .boolean()
    .default(false)
    .describe('Write repeated and same-origin URLs as reference links [text][1] with one URL table at the end (paths under one stated origin), when that saves tokens.'),
  max_tokens: z
    .number()
    .int()
    .min(200)
    .max(200_000)
    .default(SCRAPE_DEFAULT_MAX_TOKENS)
    .describe('Longest markdown returned at once (estimated tokens). Longer pages continue with `cursor`.'),
  cursor: z
    .string()
    .optional()
    .describe('The next_cursor of a previous scrape, to read the next part of a long page. Keep the other arguments the same.'),
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
