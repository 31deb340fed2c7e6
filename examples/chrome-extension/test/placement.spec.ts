import { contentSettled, expect, test, tipFrames, tipRecipients } from './support/fixtures.js'

const ALICE = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720'
const CAROL = 'sol:9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'
const HOST = 'tokentags-extension-tip'

/** Ids of the posts that hold a tip button, in document order. */
const postsWithButtons = (page: import('@playwright/test').Page, postSelector: string) =>
  page
    .locator(HOST)
    .evaluateAll(
      (hosts, selector) => hosts.map((host) => host.closest(selector)?.id ?? '(outside a post)'),
      postSelector,
    )

test.describe('X adapter on a local reproduction of X’s markup', () => {
  test('adds a tip button to posts whose author published a tip: line, and only to those', async ({
    page,
    fixtures,
  }) => {
    await page.goto(`${fixtures.origin}/x/alice`)
    await expect(page.locator(HOST)).toHaveCount(2)
    expect(await postsWithButtons(page, 'article')).toEqual(['post-alice-1', 'post-alice-quote'])
    // Right after the post's own action bar, not inside a quoted post.
    for (const id of ['post-alice-1', 'post-alice-quote']) {
      const previous = await page
        .locator(`#${id} ${HOST}`)
        .evaluate((host) => host.previousElementSibling?.getAttribute('role'))
      expect(previous).toBe('group')
    }
    await expect(page.locator(`${HOST}[data-adapter="x"]`)).toHaveCount(2)

    // Each button is an extension frame drawing <token-tip> for the author's address.
    await expect.poll(() => tipFrames(page).length).toBe(2)
    await expect.poll(() => tipRecipients(page)).toEqual([ALICE, ALICE])
    // The page's own DOM has no iframe and no token-tip: both sit behind a closed shadow root.
    expect(await page.evaluate(() => document.querySelectorAll('iframe, token-tip').length)).toBe(0)
    expect(await page.evaluate(() => document.querySelector('tokentags-extension-tip')?.shadowRoot)).toBeNull()
  })

  test('a sol: author gets a button once a Solana RPC is configured', async ({ page, fixtures, extension }) => {
    await page.goto(`${fixtures.origin}/x/alice`)
    await expect(page.locator(HOST)).toHaveCount(2)
    await expect(page.locator(`#post-carol ${HOST}`)).toHaveCount(0)
    try {
      // Options apply to open pages at once; nothing here talks to the RPC before a press.
      await extension.setOptions({ solanaRpcUrl: 'http://127.0.0.1:1/solana' })
      await expect(page.locator(`#post-carol ${HOST}`)).toHaveCount(1)
      await expect(page.locator(HOST)).toHaveCount(3)
      await expect.poll(() => tipFrames(page).length).toBe(3)
      await expect.poll(async () => (await tipRecipients(page)).sort()).toEqual([ALICE, ALICE, CAROL].sort())
    } finally {
      await extension.setOptions({ solanaRpcUrl: '' })
    }
  })

  test('watches for posts added later and never mounts twice', async ({ page, fixtures }) => {
    await page.goto(`${fixtures.origin}/x/alice`)
    await expect(page.locator(HOST)).toHaveCount(2)

    // Infinite scroll: a page of new posts, one by Alice and one by Bob.
    await page.evaluate(() => {
      const timeline = document.getElementById('timeline') as HTMLElement
      for (const [id, handle] of [
        ['post-alice-2', 'alice'],
        ['post-bob-2', 'bob'],
      ] as const) {
        const cell = document.createElement('div')
        cell.dataset.testid = 'cellInnerDiv'
        cell.innerHTML = `<article data-testid="tweet" id="${id}"><div data-testid="User-Name"><a href="/${handle}"><span>${handle}</span></a><a href="/${handle}"><span>@${handle}</span></a></div><div data-testid="tweetText"><span>later</span></div><div role="group"><button type="button">Like</button></div></article>`
        timeline.append(cell)
      }
    })
    await expect(page.locator(HOST)).toHaveCount(3)
    await expect(page.locator(`#post-alice-2 ${HOST}`)).toHaveCount(1)
    await expect(page.locator(`#post-bob-2 ${HOST}`)).toHaveCount(0)

    // Mutations that are not new posts: moving a post, editing text, many small changes.
    const before = (await contentSettled(page)).passes
    await page.evaluate(async () => {
      const timeline = document.getElementById('timeline') as HTMLElement
      const first = timeline.firstElementChild as HTMLElement
      timeline.append(first) // reordering re-inserts the same node
      for (let i = 0; i < 20; i++) {
        const span = document.querySelector('#post-alice-1 [data-testid="tweetText"] span') as HTMLElement
        span.textContent = `edit ${i}`
        await new Promise((r) => setTimeout(r, 5))
      }
    })
    // The content script scanned again after the last of them: a second mount would be there by now.
    await contentSettled(page, before)
    await expect(page.locator(HOST)).toHaveCount(3)
    for (const id of ['post-alice-1', 'post-alice-quote', 'post-alice-2'])
      await expect(page.locator(`#${id} ${HOST}`)).toHaveCount(1)

    // A framework re-render replaces the action bar (and our button with it): mounted again, once.
    await page.evaluate(() => {
      const post = document.getElementById('post-alice-1') as HTMLElement
      post.querySelector('tokentags-extension-tip')?.remove()
    })
    await expect(page.locator(`#post-alice-1 ${HOST}`)).toHaveCount(1)
    await contentSettled(page)
    await expect(page.locator(HOST)).toHaveCount(3)
    await expect.poll(() => tipFrames(page).length).toBe(3)
  })

  test('a bio that appears later (a hover card) gives that author’s posts a button', async ({ page, fixtures }) => {
    await page.goto(`${fixtures.origin}/x/alice`)
    await expect(page.locator(HOST)).toHaveCount(2)
    await expect(page.locator(`#post-bob-repost ${HOST}`)).toHaveCount(0)
    await page.evaluate(() => {
      const card = document.createElement('div')
      card.dataset.testid = 'HoverCard'
      card.innerHTML =
        '<a href="/bob"><span>Bob</span></a><div data-testid="User-Name"><span>Bob</span><span>@bob</span></div><div data-testid="UserDescription">tip: 0x976EA74026E726554dB657fA54763abd0C3a0aa9</div>'
      document.body.append(card)
    })
    await expect(page.locator(`#post-bob-repost ${HOST}`)).toHaveCount(1)
    await expect(page.locator(HOST)).toHaveCount(3)
  })

  test('a bare address or a tip line inside a post is not a published tip address', async ({ page, fixtures }) => {
    await page.goto(`${fixtures.origin}/x/alice`)
    await expect(page.locator(HOST)).toHaveCount(2)
    await expect(page.locator(`#post-dave ${HOST}`)).toHaveCount(0)
    // Bob's tip line in Alice's quote of him does not make Bob tippable.
    await expect(page.locator(`#post-bob-repost ${HOST}`)).toHaveCount(0)
  })

  test('pages outside the configured patterns get nothing', async ({ page, fixtures }) => {
    await page.goto(`${fixtures.origin}/elsewhere/x/alice`)
    // The very posts that get buttons under /x/ …
    await expect(page.locator('#post-alice-1 [role="group"]')).toBeVisible()
    // … and the content script ran on this page (the manifest matches it) and no adapter took the URL.
    expect((await contentSettled(page)).adapter).toBeNull()
    await expect(page.locator(HOST)).toHaveCount(0)
  })
})

test.describe('generic adapter (microformats2)', () => {
  test('h-entry posts get a button when their author’s h-card publishes an address', async ({ page, fixtures }) => {
    await page.goto(`${fixtures.origin}/generic/blog`)
    await expect(page.locator(HOST)).toHaveCount(2)
    expect(await postsWithButtons(page, 'article')).toEqual(['post-erin', 'post-frank'])
    await expect(page.locator(`${HOST}[data-adapter="generic"]`)).toHaveCount(2)
    await expect
      .poll(() => tipRecipients(page))
      .toEqual(['0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f', '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955'])
  })
})
