import { bigFooter, documentShell, pick, seeded, slug } from './common.js';
import type { BenchPage } from './types.js';

const ADJECTIVES = ['Nimbus', 'Aero', 'Vertex', 'Summit', 'Pulse', 'Orbit', 'Terra', 'Nova', 'Drift', 'Echo', 'Flux', 'Zephyr'];
const NOUNS = ['Pro', 'Lite', 'Max', 'Trail', 'Street', 'Air', 'Flex', 'Run'];
const COLORS = ['Black', 'White', 'Navy', 'Olive', 'Crimson', 'Sand', 'Slate'];
export const SHOP_TARGET = 'Nimbus Pro 42';

function products(): string {
  const random = seeded(42);
  const cards: string[] = [];
  for (let i = 0; i < 72; i += 1) {
    // Product 51 is the target; the rest are generated so no other card carries its name.
    const name = i === 51 ? SHOP_TARGET : `${pick(ADJECTIVES.slice(1), random)} ${pick(NOUNS, random)} ${10 + i}`;
    const price = (39 + Math.floor(random() * 160) + 0.99).toFixed(2);
    const rating = (3 + random() * 2).toFixed(1);
    const swatches = COLORS.slice(0, 2 + Math.floor(random() * 4))
      .map((color) => `<li><button type="button" class="swatch" aria-label="${color}" title="${color}"></button></li>`)
      .join('');
    cards.push(`<article class="card" data-sku="SKU-${1000 + i}">
  <a href="/shop/p/${slug(name)}" class="thumb"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="${name} running shoe" width="160" height="120"></a>
  <div class="info"><h3><a href="/shop/p/${slug(name)}">${name}</a></h3>
  <p class="meta"><span class="rating" aria-label="Rated ${rating} out of 5">★ ${rating}</span> · <span>${20 + Math.floor(random() * 900)} reviews</span></p>
  <p class="price"><span class="sr-only">Price</span>$${price}</p>
  <ul class="swatches" aria-label="Colors">${swatches}</ul>
  <p class="ship">Free shipping · Free returns within 30 days on all orders placed through the online store</p>
  <div class="actions"><button type="button" class="add" data-name="${name}">Add to cart</button> <button type="button" class="wish" aria-label="Save ${name} to wishlist">♡</button></div></div>
</article>`);
  }
  return cards.join('\n');
}

function filters(): string {
  const group = (title: string, items: readonly string[]): string =>
    `<fieldset><legend>${title}</legend>${items.map((item) => `<label><input type="checkbox" name="${title.toLowerCase()}" value="${item}"> ${item}</label><br>`).join('')}</fieldset>`;
  return `<aside class="filters" aria-label="Filters"><h2>Filter</h2>
${group('Brand', ['Nimbus', 'Aero', 'Vertex', 'Summit', 'Pulse', 'Orbit', 'Terra', 'Nova'])}
${group('Size', ['38', '39', '40', '41', '42', '43', '44', '45', '46'])}
${group('Color', COLORS)}
<fieldset><legend>Price</legend><label>Min <input type="number" name="min" value="0"></label> <label>Max <input type="number" name="max" value="500"></label></fieldset>
<button type="button">Apply filters</button> <button type="button">Clear all</button></aside>`;
}

const header = `<header><a href="/home"><strong>StrideShop</strong></a>
<form role="search"><label class="sr-only" for="q">Search products</label><input id="q" type="search" placeholder="Search shoes, brands, styles"><button>Search</button></form>
<nav aria-label="Main"><ul>${['New arrivals', 'Men', 'Women', 'Kids', 'Running', 'Trail', 'Training', 'Sale', 'Brands', 'Gift cards'].map((item) => `<li><a href="/shop/${slug(item)}">${item}</a></li>`).join('')}</ul></nav>
<a href="/account">Account</a> <a href="/cart" id="cart">Cart (0)</a></header>`;

const script = `let count = 0;
document.querySelector('.grid').addEventListener('click', (event) => {
  const button = event.target.closest('button.add');
  if (!button) return;
  count += 1;
  document.getElementById('cart').textContent = 'Cart (' + count + ')';
  report('Added: ' + button.dataset.name + ' (' + count + ')');
});`;

const css = `.layout{display:flex;gap:16px;padding:16px}.filters{width:200px;flex:none}.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
.card{border:1px solid #ddd;padding:8px}.swatches{display:flex;gap:4px;list-style:none;padding:0}.swatch{width:14px;height:14px}`;

export const shopPage: BenchPage = {
  name: 'shop listing',
  html: () =>
    documentShell(
      'Running shoes · StrideShop',
      css,
      `${header}<div class="layout">${filters()}<main><h1>Running shoes</h1><p>72 results</p>
<label>Sort by <select name="sort"><option>Featured</option><option>Price: low to high</option><option>Price: high to low</option><option>Newest</option></select></label>
<section class="grid" aria-label="Products">${products()}</section>
<nav aria-label="Pagination"><a href="/page1">1</a> <a href="/page2">2</a> <a href="/page3">3</a> <a href="/next">Next</a></nav></main></div>
${bigFooter(['Help', 'Orders', 'About', 'Stores', 'Legal'], 8)}`,
      script,
    ),
  task: {
    goal: `Click Add to cart on product '${SHOP_TARGET}'`,
    actions: [{ kind: 'click', role: 'button', label: 'Add to cart', context: SHOP_TARGET }],
    repeatable: 0,
    expect: `Added: ${SHOP_TARGET}`,
  },
};
