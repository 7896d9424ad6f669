import { bigFooter, documentShell, LOREM, pick, seeded, slug } from './common.js';
import type { BenchPage } from './types.js';

const SECTIONS = ['World', 'Politics', 'Business', 'Tech', 'Science', 'Health', 'Sport', 'Culture', 'Travel', 'Opinion', 'Climate', 'Video'];

function megaNav(): string {
  return `<nav aria-label="Sections"><ul>${SECTIONS.map(
    (section) => `<li><a href="/news/${slug(section)}">${section}</a><ul class="sub">${['Latest', 'Analysis', 'Explainers', 'Podcasts'].map((sub) => `<li><a href="/news/${slug(section)}/${slug(sub)}">${section} ${sub}</a></li>`).join('')}</ul></li>`,
  ).join('')}</ul></nav>`;
}

function sidebar(random: () => number): string {
  const headlines = Array.from({ length: 18 }, (_, i) => `<li><a href="/news/2026/11/story-${i}">${pick(LOREM, random).split(' ').slice(0, 9).join(' ')}</a> <span class="time">${1 + i}h ago</span></li>`);
  return `<aside aria-label="Most read"><h2>Most read</h2><ol>${headlines.slice(0, 10).join('')}</ol>
<h2>Latest</h2><ul>${headlines.slice(10).join('')}</ul>
<section aria-label="Newsletter"><h2>The Morning Brief</h2><p>Five stories, every weekday at 7am.</p><label>Email address <input type="email" placeholder="Email address"></label> <button type="button">Sign up</button></section>
<section aria-label="Advertisement"><p>Advertisement</p><a href="/ad"><img alt="Sponsored: upgrade your home office" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="300" height="250"></a></section></aside>`;
}

function article(random: () => number): string {
  const paragraphs: string[] = [];
  for (let i = 0; i < 24; i += 1) {
    if (i % 6 === 5) paragraphs.push(`<h2>Part ${i / 6 + 1}: what changed</h2>`);
    paragraphs.push(`<p>${pick(LOREM, random)} ${pick(LOREM, random)} ${pick(LOREM, random)}</p>`);
    if (i === 9) paragraphs.push(`<figure><img alt="Flooded street in the old town" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="600" height="300"><figcaption>Water reached the first floor of several houses on Tuesday.</figcaption></figure>`);
    if (i === 14) paragraphs.push(`<aside class="related"><h3>Related</h3><ul><li><a href="/r1">How the flood defences were built</a></li><li><a href="/r2">Map: the areas most at risk</a></li></ul></aside>`);
  }
  return `<article><h1>City braces for a second storm as repairs lag behind</h1>
<p class="byline">By <a href="/author">Maya Okafor</a>, City correspondent · <time>24 November 2026</time></p>
<p><button type="button" aria-label="Share on social media">Share</button> <button type="button">Save</button> <button type="button" id="like">Like this article</button></p>
${paragraphs.join('\n')}
<section aria-label="Tags"><h3>Topics</h3>${['Weather', 'Climate', 'Local government', 'Infrastructure', 'Insurance'].map((tag) => `<a href="/topics/${slug(tag)}">${tag}</a>`).join(' · ')}</section>
<section aria-label="Comments"><h2>Comments (128)</h2><button type="button">Show comments</button></section></article>`;
}

const script = `let likes = 0;
document.getElementById('like').addEventListener('click', () => { likes += 1; report('Liked (' + likes + ')'); });`;

export const articlePage: BenchPage = {
  name: 'news article',
  html: () => {
    const random = seeded(7);
    return documentShell(
      'City braces for a second storm · The Daily Ledger',
      '.layout{display:flex;gap:24px;padding:16px}article{flex:1}aside{width:300px}.sub{display:none}',
      `<header><a href="/home"><strong>The Daily Ledger</strong></a> <a href="/subscribe">Subscribe</a> <a href="/signin">Sign in</a> <form role="search"><input type="search" aria-label="Search the Ledger"></form>${megaNav()}</header>
<div class="layout">${article(random)}${sidebar(random)}</div>
${bigFooter(['News', 'Sections', 'Services', 'About us', 'Follow'], 10)}`,
      script,
    );
  },
  task: {
    goal: 'Click Like this article',
    actions: [{ kind: 'click', role: 'button', label: 'Like this article' }],
    repeatable: 0,
    expect: 'Liked',
  },
};
