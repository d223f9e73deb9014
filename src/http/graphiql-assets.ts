// GraphiQL's page as a small HTML document that is never cached, and its
// bundle (script, styles, icon) as files under /graphiql/assets/ named by the
// sha256 of their content, cached for a year as immutable: a browser fetches
// the 9 MB bundle once per version of it, not at every visit. All of it is
// served by the gateway itself, no CDN (API.md, Transport and auth).
import crypto from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Plugin } from 'graphql-yoga';

export const ASSETS_PATH = '/graphiql/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

type RenderOptions = Parameters<typeof renderGraphiQL>[0];

/** The renderer for yoga's `renderGraphiQL` option, and the plugin that serves the assets it links. */
export function graphiqlWithCachedAssets(): { render: (options: RenderOptions) => string; plugin: Plugin } {
  const assets = new Map<string, Asset>();
  const add = (content: string | Buffer, extension: string, type: string): string => {
    const bytes = new Uint8Array(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    const name = `${crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.${extension}`;
    if (!assets.has(name)) assets.set(name, { body: bytes, type });
    return ASSETS_PATH + name;
  };
  // One page per set of options (the pre-filled headers): rendered once.
  const pages = new Map<string, string>();
  const render = (options: RenderOptions): string => {
    const cacheKey = JSON.stringify(options ?? {});
    const cached = pages.get(cacheKey);
    if (cached !== undefined) return cached;
    const page = renderGraphiQL(options)
      .replace(/<link rel="icon" href="data:([^;"]+);base64,([^"]+)" \/>/, (_all, type: string, data: string) => `<link rel="icon" href="${add(Buffer.from(data, 'base64'), 'ico', type)}" />`)
      .replace(/<style>([\s\S]*?)<\/style>/g, (_all, css: string) => `<link rel="stylesheet" href="${add(css, 'css', 'text/css; charset=utf-8')}" />`)
      .replace(/<script>([\s\S]*?)(YogaGraphiQL\.renderYogaGraphiQL\([\s\S]*?)<\/script>/, (_all, bundle: string, start: string) =>
        // The bundle is the same for every page; the call that starts it holds this page's options and stays inline.
        `<script src="${add(bundle, 'js', 'text/javascript; charset=utf-8')}"></script>\n<script>${start}</script>`,
      );
    pages.set(cacheKey, page);
    return page;
  };
  const plugin: Plugin = {
    onRequest({ url, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(ASSETS_PATH)) return;
      const asset = assets.get(url.pathname.slice(ASSETS_PATH.length));
      endResponse(
        asset === undefined
          ? new fetchAPI.Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
          : new fetchAPI.Response(asset.body, { headers: { 'content-type': asset.type, 'cache-control': IMMUTABLE } }),
      );
    },
    onResponse({ response }) {
      // The page holds the pre-filled key and links this version's assets: never reuse a stale one.
      if (response.headers.get('content-type')?.startsWith('text/html')) response.headers.set('cache-control', 'no-cache');
    },
  };
  return { render, plugin };
}
