/**
 * Review platforms' exports and API rows, read as they come (no `map`): each
 * canonical field from the platform's own column, and the columns beside it
 * (replies, product names, purchase dates, e-mails) left alone. The layouts
 * are the platforms' documented headers and keys; the rows are made up.
 */
import { describe, expect, it } from 'vitest'
import { analyzeBatch, analyzeFile } from '../src/index.js'
import type { BatchRun, Options, ResultRow, ReviewResult } from '../src/index.js'
import { collect, tempFile } from './batch-util.js'

function ok(row: ResultRow | undefined): ReviewResult {
  if (row === undefined || !row.ok) throw new Error(`expected an ok row, got ${JSON.stringify(row)}`)
  return row
}

/** The fields recensio reads from each row, and the summary's columns. */
async function read(run: BatchRun): Promise<{ rows: Record<string, unknown>[]; fields: Record<string, string> }> {
  const rows = (await collect(run)).map((r) => {
    const o = ok(r)
    return {
      id: o.id,
      rating: o.rating,
      date: o.date,
      author: o.author,
      product: o.product,
      // The platform said the purchase was not verified.
      unverified: o.authenticity.signals.some((s) => s.type === 'unverified'),
    }
  })
  return { rows, fields: run.summary().fields as Record<string, string> }
}

function csv(name: string, lines: string[], options?: Options): BatchRun {
  return analyzeFile(tempFile(name, lines.join('\n') + '\n'), options)
}

describe('review app exports', () => {
  it('reads a Judge.me export: body, not the reply; the reviewer name, not the e-mail', async () => {
    const { rows, fields } = await read(
      csv('judgeme.csv', [
        'title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address,location,metaobject_handle',
        'Llegó rápido,"Muy buena calidad, la recomiendo",5,2024-03-05 10:12:00 UTC,web,ok,Lucía G.,lucia@example.com,7012345678,crema-facial,"¡Gracias, Lucía!",2024-03-06 09:00:00 UTC,,,ES,',
        'Pessima,"Arrivata rotta, nessuna risposta dal servizio clienti",1,2024-03-07 18:40:00 UTC,email,ok,Marco B.,marco@example.com,7012345678,crema-facial,Ci dispiace molto,2024-03-08 09:00:00 UTC,,,IT,',
        'Bien,"Works fine, the pump is a bit stiff",4,2024-03-09 08:00:00 UTC,web,ok,Ann,ann@example.com,7012345679,serum,,,,,US,',
      ]),
    )
    expect(fields).toEqual({ text: 'body', title: 'title', rating: 'rating', date: 'review_date', author: 'reviewer_name', product: 'product_id' })
    expect(rows.map((r) => [r.rating, r.date, r.author, r.product])).toEqual([
      [5, '2024-03-05T10:12:00.000Z', 'Lucía G.', '7012345678'],
      [1, '2024-03-07T18:40:00.000Z', 'Marco B.', '7012345678'],
      [4, '2024-03-09T08:00:00.000Z', 'Ann', '7012345679'],
    ])
  })

  it("reads Judge.me's API rows, their reviewer object and verified statuses", async () => {
    const reviewer = (id: number, name: string) => ({ id, email: `${name}@example.com`, name, phone: null })
    const { rows, fields } = await read(
      analyzeBatch([
        { id: 309836503, title: 'Genial', body: 'Muy cómodas, talla perfecta', rating: 5, product_external_id: 5280573096092, reviewer: reviewer(194677611, 'ana'), source: 'web', curated: 'ok', verified: 'buyer', created_at: '2024-05-12T04:38:32+00:00' },
        { id: 309836504, title: 'Così così', body: 'Belle ma scomode dopo un’ora', rating: 3, product_external_id: 5280573096092, reviewer: reviewer(194677612, 'lia'), source: 'web', curated: 'ok', verified: 'email', created_at: '2024-05-13T04:38:32+00:00' },
        { id: 309836505, title: 'Meh', body: 'Not what the photos show at all', rating: 2, product_external_id: 5280573096092, reviewer: reviewer(194677613, 'cy'), source: 'web', curated: 'not-yet', verified: 'nothing', created_at: '2024-05-14T04:38:32+00:00' },
      ]),
    )
    expect(fields).toMatchObject({ text: 'body', title: 'title', author: 'reviewer.id', product: 'product_external_id', verified: 'verified', date: 'created_at' })
    expect(rows.map((r) => [r.author, r.product, r.unverified])).toEqual([
      ['194677611', '5280573096092', false],
      // An address confirmed is no purchase verified.
      ['194677612', '5280573096092', true],
      ['194677613', '5280573096092', true],
    ])
  })

  it("reads a file in Loox's review template: the product handle, as written, before product_Id", async () => {
    const { rows, fields } = await read(
      csv('loox.csv', [
        'product_handle,product_Id,rating,author,email,body,created_at,photo_url,reply,replied_at,verified_purchase,incentivized',
        'vestido-lino,8123,5,Julia M.,julia@example.com,"Precioso, la tela es muy fresca",2024-06-01,,¡Gracias Julia!,2024-06-02,true,false',
        'vestido-lino,8123,2,Pablo D.,pablo@example.com,Talla muy pequeña,2024-06-03,,,,false,false',
        'borsa-paglia,8124,4,Nora B.,nora@example.com,"Bella borsa, cuciture un po’ deboli",2024-06-04,,,,true,false',
      ]),
    )
    expect(fields).toEqual({ product: 'product_handle', rating: 'rating', author: 'author', text: 'body', date: 'created_at', verified: 'verified_purchase' })
    expect(rows.map((r) => [r.product, r.author, r.unverified])).toEqual([
      ['vestido-lino', 'Julia M.', false],
      ['vestido-lino', 'Pablo D.', true],
      ['borsa-paglia', 'Nora B.', false],
    ])
  })

  it("reads Okendo's template: isVerifiedBuyer is the flag, and no author without --map", async () => {
    const { rows, fields } = await read(
      csv('okendo.csv', [
        'name,body,handle,productId,rating,sku,dateCreated,countryCode,email,imageUrls,isApproved,isIncentivized,isRecommended,rejectedImageUrls,reply,replyDateCreated,replyIsPublic,title,videoUrls,isVerifiedBuyer,variantId,status',
        'Giulia R.,"Ottima crema, pelle morbidissima",crema-viso,7012345678,5,CR-01,2024-03-05,it,giulia@example.com,,TRUE,FALSE,TRUE,,Grazie mille!,2024-03-06,TRUE,Consigliata,,TRUE,,approved',
        'Pedro S.,"No noté ningún cambio, caro para lo que es",crema-viso,7012345678,2,CR-01,2024-03-07,es,pedro@example.com,,TRUE,FALSE,FALSE,,,,,Decepcionante,,FALSE,,approved',
      ]),
    )
    // "name" is not read as the author: in other exports it is the product's or the place's. Nor is the e-mail (see below).
    expect(fields).toEqual({ text: 'body', product: 'productId', rating: 'rating', date: 'dateCreated', title: 'title', verified: 'isVerifiedBuyer' })
    expect(rows.map((r) => [r.author ?? null, r.product, r.date, r.unverified])).toEqual([
      [null, '7012345678', '2024-03-05T00:00:00.000Z', false],
      [null, '7012345678', '2024-03-07T00:00:00.000Z', true],
    ])
  })

  it("reads Yotpo's review columns: Display Name is the author, Product Name no title", async () => {
    const { rows, fields } = await read(
      csv('yotpo.csv', [
        'Review Title,Review Content,Review Score,Date,Product ID,Product Name,Display Name,Email,Customer Country',
        'Me encanta,"Buena piel, llegó en dos días",5,2024-03-05,123,Bolso de piel,Ana López,ana@example.com,ES',
        'Delusa,"La cerniera si è rotta dopo una settimana",1,2024-03-08,123,Bolso de piel,Luca,luca@example.com,IT',
      ]),
    )
    expect(fields).toEqual({ title: 'Review Title', text: 'Review Content', rating: 'Review Score', date: 'Date', product: 'Product ID', author: 'Display Name' })
    expect(rows.map((r) => [r.rating, r.author, r.product])).toEqual([
      [5, 'Ana López', '123'],
      [1, 'Luca', '123'],
    ])
  })

  it("reads the Shopify Product Reviews app's export: body, not the reply", async () => {
    const { rows, fields } = await read(
      csv('shopify.csv', [
        'product_handle,state,rating,title,author,email,location,body,reply,created_at,replied_at',
        'jabon-natural,published,4,Agradable,Inés K.,ines@example.com,Sevilla,Hace mucha espuma y huele bien,"¡Gracias, Inés!",2023-06-01 10:00:00 UTC,2023-06-02 10:00:00 UTC',
        'jabon-natural,published,1,Nunca llegó,Toni,toni@example.com,,Nunca recibí mi pedido,,2023-06-03 10:00:00 UTC,',
      ]),
    )
    expect(fields).toEqual({ product: 'product_handle', rating: 'rating', title: 'title', author: 'author', text: 'body', date: 'created_at' })
    expect(rows.map((r) => [r.product, r.author, r.date])).toEqual([
      ['jabon-natural', 'Inés K.', '2023-06-01T10:00:00.000Z'],
      ['jabon-natural', 'Toni', '2023-06-03T10:00:00.000Z'],
    ])
  })

  it("reads PowerReviews' columns: Page Id is the product, Verified Buyer Yes/No", async () => {
    const { rows, fields } = await read(
      csv('powerreviews.csv', [
        'Review Id,Page Id,Review Display,Review Title,Review Date,Review Location,Review Text,Rating,Verified Buyer,Review Status',
        'r1,P-100,Marco,Ottimo,2024-03-05,Milano,"Ottimo prodotto, arrivato presto",5,Yes,Approved',
        'r2,P-100,Sara,Non male,2024-03-06,Roma,Funziona ma è rumoroso,3,No,Approved',
      ]),
    )
    expect(fields).toEqual({
      id: 'Review Id',
      product: 'Page Id',
      author: 'Review Display',
      title: 'Review Title',
      date: 'Review Date',
      text: 'Review Text',
      rating: 'Rating',
      verified: 'Verified Buyer',
    })
    expect(rows.map((r) => [r.id, r.product, r.author, r.unverified])).toEqual([
      ['r1', 'P-100', 'Marco', false],
      ['r2', 'P-100', 'Sara', true],
    ])
  })

  it("reads Feefo's service reviews: the feedback date, not the sale's", async () => {
    const { rows, fields } = await read(
      csv(
        'feefo.csv',
        [
          'Name,Email,Sale Date,Feedback Date,Product Id,Service Rating,Service Comment,Product Rating,Product Comment',
          'John Smith,john@example.com,02/03/2024,15/03/2024,5012345678900,4,"Quick delivery, friendly support",5,Great kettle',
          'Amy Lee,amy@example.com,20/02/2024,28/02/2024,5012345678901,2,Parcel left in the rain,,',
        ],
        // Feefo writes DD/MM/YYYY.
        { dateOrder: 'dmy' },
      ),
    )
    expect(fields).toEqual({ date: 'Feedback Date', product: 'Product Id', rating: 'Service Rating', text: 'Service Comment' })
    expect(rows.map((r) => [r.date, r.rating, r.author ?? null])).toEqual([
      ['2024-03-15T00:00:00.000Z', 4, null],
      ['2024-02-28T00:00:00.000Z', 2, null],
    ])
  })
})

describe('shop and store exports', () => {
  it('reads WordPress comments exported from WooCommerce: the UTC date, the commenter, not the e-mail', async () => {
    const { rows, fields } = await read(
      csv('wp-comments.csv', [
        'comment_ID,comment_post_ID,comment_author,comment_author_email,comment_date,comment_date_gmt,comment_content,comment_approved,rating,verified',
        '11,42,Lucía,lucia@example.com,2024-03-05 11:22:01,2024-03-05 10:22:01,"Me encantó, volveré a comprar",1,5,1',
        '12,42,Gianni,gianni@example.com,2024-03-06 09:00:00,2024-03-06 08:00:00,Il manico si scalda troppo,1,2,0',
      ]),
    )
    expect(fields).toEqual({
      id: 'comment_ID',
      product: 'comment_post_ID',
      author: 'comment_author',
      date: 'comment_date_gmt',
      text: 'comment_content',
      rating: 'rating',
      verified: 'verified',
    })
    expect(rows.map((r) => [r.id, r.product, r.author, r.date, r.unverified])).toEqual([
      ['11', '42', 'Lucía', '2024-03-05T10:22:01.000Z', false],
      ['12', '42', 'Gianni', '2024-03-06T08:00:00.000Z', true],
    ])
  })

  it("reads the commenter of a whole wp_comments dump, not its user_id (0 for every guest)", async () => {
    const { rows, fields } = await read(
      csv('wp-comments-dump.csv', [
        'comment_ID,comment_post_ID,comment_author,comment_author_email,comment_author_url,comment_author_IP,comment_date,comment_date_gmt,comment_content,comment_karma,comment_approved,comment_agent,comment_type,comment_parent,user_id',
        '11,42,Lucía,lucia@example.com,,192.0.2.1,2024-03-05 11:22:01,2024-03-05 10:22:01,"Me encantó, volveré a comprar",0,1,Mozilla/5.0,review,0,0',
        '12,42,Gianni,gianni@example.com,,192.0.2.2,2024-03-06 09:00:00,2024-03-06 08:00:00,Il manico si scalda troppo,0,1,Mozilla/5.0,review,0,0',
        '13,43,Kate,kate@example.com,,192.0.2.3,2024-03-07 09:00:00,2024-03-07 08:00:00,"Sturdy pan, heats evenly",0,1,Mozilla/5.0,review,0,7',
      ]),
    )
    expect(fields.author).toBe('comment_author')
    expect(rows.map((r) => r.author)).toEqual(['Lucía', 'Gianni', 'Kate'])
    // An imported comment's GMT date is MySQL's zero date: its local date is read instead.
    const imported = await read(
      csv('wp-imported.csv', [
        'comment_ID,comment_author,comment_date,comment_date_gmt,comment_content',
        '14,Ana,2024-03-08 09:00:00,0000-00-00 00:00:00,Muy buena sartén',
        '15,Leo,0000-00-00 00:00:00,0000-00-00 00:00:00,Muy buena sartén',
      ]),
    )
    expect(imported.rows.map((r) => r.date ?? null)).toEqual(['2024-03-08T09:00:00.000Z', null])
  })

  it("reads WooCommerce's REST API reviews: the GMT date, the reviewer, not the product name", async () => {
    const { rows, fields } = await read(
      analyzeBatch([
        { id: 22, date_created: '2024-03-05T11:22:01', date_created_gmt: '2024-03-05T10:22:01', product_id: 31, product_name: 'Cafetera italiana', status: 'approved', reviewer: 'Lucía', reviewer_email: 'lucia@example.com', review: '<p>Hace un café buenísimo</p>', rating: 5, verified: true },
        { id: 23, date_created: '2024-03-06T11:00:00', date_created_gmt: '2024-03-06T10:00:00', product_id: 31, product_name: 'Cafetera italiana', status: 'approved', reviewer: 'Paolo', reviewer_email: 'paolo@example.com', review: '<p>La guarnizione perde</p>', rating: 2, verified: false },
      ]),
    )
    expect(fields).toEqual({ id: 'id', date: 'date_created_gmt', product: 'product_id', author: 'reviewer', text: 'review', rating: 'rating', verified: 'verified' })
    expect(rows.map((r) => [r.date, r.author, r.product, r.unverified])).toEqual([
      ['2024-03-05T10:22:01.000Z', 'Lucía', '31', false],
      ['2024-03-06T10:00:00.000Z', 'Paolo', '31', true],
    ])
  })

  it("reads VTEX's Reviews and Ratings rows", async () => {
    const { rows, fields } = await read(
      analyzeBatch([
        { id: 'r1', productId: '1', rating: 4, title: 'Bueno', text: 'Buen producto, el envío tardó un poco', reviewerName: 'Carlos', shopperId: 'carlos@example.com', reviewDateTime: '2024-03-05T14:22:01Z', searchDate: '2024-03-06T00:00:00Z', verifiedPurchaser: true, sku: 'SKU-1', locale: 'es-MX', location: 'CDMX', approved: true },
        { id: 'r2', productId: '1', rating: 1, title: 'Malo', text: 'Llegó abierto y sin manual', reviewerName: 'Rosa', shopperId: 'rosa@example.com', reviewDateTime: '2024-03-07T09:00:00Z', searchDate: '2024-03-08T00:00:00Z', verifiedPurchaser: false, sku: 'SKU-1', locale: 'es-MX', location: 'GDL', approved: true },
      ]),
    )
    expect(fields).toEqual({ id: 'id', product: 'productId', rating: 'rating', title: 'title', text: 'text', author: 'reviewerName', date: 'reviewDateTime', verified: 'verifiedPurchaser', lang: 'locale' })
    expect(rows.map((r) => [r.author, r.date, r.unverified])).toEqual([
      ['Carlos', '2024-03-05T14:22:01.000Z', false],
      ['Rosa', '2024-03-07T09:00:00.000Z', true],
    ])
  })

  it("reads Olist's order reviews: the review's creation date, not the answer's", async () => {
    const { rows, fields } = await read(
      csv('olist.csv', [
        'review_id,order_id,review_score,review_comment_title,review_comment_message,review_creation_date,review_answer_timestamp',
        '7bc2406110b926393aa56f80a40eba40,73fc7af87114b39712e6da79b0a377eb,4,,"Chegou antes do prazo, recomendo",2018-01-18 00:00:00,2018-01-18 21:46:59',
        '80e641a11e56f04c1ad469d5645fdfde,a548910a1c6147796b98fdf73dbeba33,1,Péssimo,Não recebi o produto,2018-03-10 00:00:00,2018-03-11 03:05:13',
      ]),
    )
    expect(fields).toEqual({ id: 'review_id', rating: 'review_score', title: 'review_comment_title', text: 'review_comment_message', date: 'review_creation_date' })
    expect(rows.map((r) => [r.rating, r.date])).toEqual([
      [4, '2018-01-18T00:00:00.000Z'],
      [1, '2018-03-10T00:00:00.000Z'],
    ])
  })
})

describe('app store and travel exports', () => {
  it("reads Google Play Console's review export: the review text, not the developer's reply", async () => {
    const { rows, fields } = await read(
      csv('play.csv', [
        'Package Name,App Version Code,App Version Name,Reviewer Language,Device,Review Submit Date and Time,Review Submit Millis Since Epoch,Review Last Update Date and Time,Review Last Update Millis Since Epoch,Star Rating,Review Title,Review Text,Developer Reply Date and Time,Developer Reply Millis Since Epoch,Developer Reply Text,Review Link',
        'com.shop.app,120,1.2.0,es,a12,2024-03-05T14:22:01Z,1709648521000,2024-03-05T14:22:01Z,1709648521000,5,,"La app va genial, muy útil",2024-03-06T09:00:00Z,1709715600000,"¡Gracias por tu reseña!",',
        'com.shop.app,120,1.2.0,it,a54,2024-03-07T10:00:00Z,1709805600000,2024-03-07T10:00:00Z,1709805600000,1,,Si blocca all’avvio,,,,',
      ]),
    )
    expect(fields).toEqual({ product: 'Package Name', lang: 'Reviewer Language', date: 'Review Submit Date and Time', rating: 'Star Rating', title: 'Review Title', text: 'Review Text' })
    expect(rows.map((r) => [r.rating, r.date, r.product])).toEqual([
      [5, '2024-03-05T14:22:01.000Z', 'com.shop.app'],
      [1, '2024-03-07T10:00:00.000Z', 'com.shop.app'],
    ])
  })

  it("reads App Store Connect's customer reviews as its API answers: JSON:API resources with their fields in attributes", async () => {
    const answer = {
      data: [
        {
          type: 'customerReviews',
          id: '00000028-b08c-0014-729e-fbd500000000',
          attributes: { rating: 5, title: '¡Genial!', body: 'La app funciona de maravilla, muy útil', reviewerNickname: 'Ana J.', createdDate: '2024-11-15T08:10:34-08:00', territory: 'ESP' },
          relationships: { response: { links: { self: 'https://api.test/v1/customerReviews/0/relationships/response' } } },
          links: { self: 'https://api.test/v1/customerReviews/0' },
        },
        {
          type: 'customerReviews',
          id: '00000028-b08c-0014-729e-fbd500000001',
          attributes: { rating: 2, title: 'Lenta', body: 'Dopo l’aggiornamento è lentissima', reviewerNickname: 'Marta', createdDate: '2024-11-16T10:00:00+01:00', territory: 'ITA' },
        },
      ],
      links: { self: 'https://api.test/v1/apps/1/customerReviews' },
      meta: { paging: { total: 2, limit: 50 } },
    }
    // The answer as a file (indented, as saved from the API), with a key inside the resources kept.
    const run = analyzeFile(tempFile('asc.json', JSON.stringify(answer, null, 2)), { keep: ['attributes.territory'] })
    const out = (await collect(run)).map(ok)
    expect(run.summary().input.arrayPath).toBe('data')
    // The resource's id, beside attributes; the rest from inside, named by its path.
    expect(run.summary().fields).toEqual({
      id: 'id', rating: 'attributes.rating', title: 'attributes.title', text: 'attributes.body', author: 'attributes.reviewerNickname', date: 'attributes.createdDate',
    })
    expect(out.map((r) => [r.id, r.rating, r.author, r.date, r.fields])).toEqual([
      ['00000028-b08c-0014-729e-fbd500000000', 5, 'Ana J.', '2024-11-15T16:10:34.000Z', { 'attributes.territory': 'ESP' }],
      ['00000028-b08c-0014-729e-fbd500000001', 2, 'Marta', '2024-11-16T09:00:00.000Z', { 'attributes.territory': 'ITA' }],
    ])
    // The same resources as rows, and flattened as exports write them.
    const rows = await read(analyzeBatch(answer.data))
    expect(rows.fields.text).toBe('attributes.body')
    const flat = await read(analyzeBatch(answer.data.map((d) => ({ id: d.id, ...d.attributes }))))
    expect(flat.fields).toEqual({ id: 'id', rating: 'rating', title: 'title', text: 'body', author: 'reviewerNickname', date: 'createdDate' })
    expect(flat.rows).toEqual(rows.rows)
  })

  it("reads Google Takeout's Maps reviews: GeoJSON features that keep a review's fields in properties", async () => {
    const feature = (text: string, stars: number, date: string, place: string) => ({
      geometry: { coordinates: [12.4964, 41.9028], type: 'Point' },
      properties: { date, five_star_rating_published: stars, google_maps_url: 'http://maps.google.com/?cid=1', location: { address: 'Via Roma 1', name: place }, review_text_published: text },
      type: 'Feature',
    })
    const takeout = {
      type: 'FeatureCollection',
      features: [
        feature('Cibo ottimo e personale gentilissimo, torneremo!', 5, '2023-05-14T18:22:10.123Z', 'Trattoria da Mario'),
        feature('El servicio fue muy lento y el café estaba frío.', 2, '2023-06-02T09:01:00Z', 'Café Central'),
      ],
    }
    const run = analyzeFile(tempFile('Reviews.json', JSON.stringify(takeout, null, 2)), { map: { product: 'properties.location.name' } })
    const out = (await collect(run)).map(ok)
    expect(run.summary().input.arrayPath).toBe('features')
    expect(run.summary().fields).toMatchObject({ text: 'properties.review_text_published', rating: 'properties.five_star_rating_published', date: 'properties.date' })
    expect(out.map((r) => [r.language.code, r.rating, r.date, r.product])).toEqual([
      ['it', 5, '2023-05-14T18:22:10.123Z', 'Trattoria da Mario'],
      ['es', 2, '2023-06-02T09:01:00.000Z', 'Café Central'],
    ])
  })

  it("reads Google Play's reviews as its API answers: the reviewer's comment first in a list, the developer's reply after it", async () => {
    const answer = {
      reviews: [
        {
          reviewId: 'gp:AOqpTOH0-1',
          authorName: 'Lucía Gómez',
          comments: [
            {
              userComment: {
                text: '\tUn desastre, la app se cierra sola al abrir el carrito',
                lastModified: { seconds: '1710237600', nanos: 250000000 },
                starRating: 1,
                reviewerLanguage: 'es_ES',
                device: 'a52q',
                androidOsVersion: 34,
                appVersionName: '4.2.1',
                thumbsUpCount: 3,
              },
            },
            { developerComment: { text: 'Hola Lucía, ya lo hemos corregido en la 4.2.2', lastModified: { seconds: '1710324000', nanos: 0 } } },
          ],
        },
        {
          reviewId: 'gp:AOqpTOH0-2',
          authorName: 'Paolo R.',
          comments: [{ userComment: { text: 'Ottima, veloce e semplice da usare', lastModified: { seconds: '1710410400', nanos: 0 }, starRating: 5, reviewerLanguage: 'it' } }],
        },
      ],
      tokenPagination: { nextPageToken: 'NHsn' },
    }
    const run = analyzeFile(tempFile('play.json', JSON.stringify(answer)), { keep: ['comments.1.developerComment.text'] })
    const out = (await collect(run)).map(ok)
    expect(run.summary().input.arrayPath).toBe('reviews')
    expect(run.summary().fields).toEqual({
      id: 'reviewId',
      author: 'authorName',
      text: 'comments.0.userComment.text',
      date: 'comments.0.userComment.lastModified',
      rating: 'comments.0.userComment.starRating',
      lang: 'comments.0.userComment.reviewerLanguage',
    })
    expect(out.map((r) => [r.id, r.author, r.rating, r.date, r.language.code, r.sentiment.label, r.fields])).toEqual([
      ['gp:AOqpTOH0-1', 'Lucía Gómez', 1, '2024-03-12T10:00:00.250Z', 'es', 'negative', { 'comments.1.developerComment.text': 'Hola Lucía, ya lo hemos corregido en la 4.2.2' }],
      ['gp:AOqpTOH0-2', 'Paolo R.', 5, '2024-03-14T10:00:00.000Z', 'it', 'positive', { 'comments.1.developerComment.text': null }],
    ])
    // The reply is not the review: a row whose list starts with it has no text.
    const replyOnly = await collect(analyzeBatch([{ reviewId: 'x', comments: [{ developerComment: { text: 'Gracias' } }] }]))
    expect(replyOnly[0]).toMatchObject({ ok: false, error: { field: 'text' } })
    // The text mapped by the path the columns line names reads the rest inside too.
    const mapped = analyzeBatch(answer.reviews, { map: { text: 'comments.0.userComment.text' } })
    expect((await collect(mapped)).map((r) => ok(r).rating)).toEqual([1, 5])
    expect(mapped.summary().fields.rating).toBe('comments.0.userComment.starRating')
    // Beside no wrapper, a lastModified column is not the review's date: a database's, it may be one day for every row.
    const dumped = analyzeBatch([{ text: 'Funciona bien', last_modified: '2024-03-05', lastModified: '2024-03-05' }])
    await collect(dumped)
    expect(dumped.summary().fields.date).toBeUndefined()
    // A comments column that holds the text, as exports have, is the text.
    const plain = analyzeBatch([{ comments: 'Funciona bien, lo recomiendo', rating: 4 }])
    expect(ok((await collect(plain))[0]).sentiment.label).toBe('positive')
    expect(plain.summary().fields.text).toBe('comments')
  })

  it("reads Zendesk's satisfaction ratings: good and bad as the top and bottom star, a survey left unanswered as no rating", async () => {
    const answer = {
      satisfaction_ratings: [
        { url: 'https://x.test/api/v2/satisfaction_ratings/1.json', id: 1, assignee_id: 7, group_id: 3, requester_id: 11, ticket_id: 101, score: 'good', created_at: '2024-03-05T10:00:00Z', updated_at: '2024-03-05T10:00:00Z', comment: 'Me resolvieron el problema en el mismo día, muy amables' },
        { url: 'https://x.test/api/v2/satisfaction_ratings/2.json', id: 2, assignee_id: 7, group_id: 3, requester_id: 12, ticket_id: 102, score: 'bad', created_at: '2024-03-06T10:00:00Z', updated_at: '2024-03-06T10:00:00Z', comment: 'Nessuno ha risposto alle mie email per una settimana' },
        { url: 'https://x.test/api/v2/satisfaction_ratings/3.json', id: 3, assignee_id: 7, group_id: 3, requester_id: 13, ticket_id: 103, score: 'offered', created_at: '2024-03-07T10:00:00Z', updated_at: '2024-03-07T10:00:00Z', comment: 'Todavía espero el reembolso' },
      ],
      next_page: null,
      count: 3,
    }
    const run = analyzeFile(tempFile('zendesk.json', JSON.stringify(answer)))
    const out = (await collect(run)).map(ok)
    expect(run.summary().input.arrayPath).toBe('satisfaction_ratings')
    // The ticket's requester is the customer who rated it; the assignee is the agent.
    expect(run.summary().fields).toEqual({ id: 'id', rating: 'score', text: 'comment', date: 'created_at', author: 'requester_id' })
    expect(out.map((r) => [r.id, r.rating ?? null, r.language.code, r.author])).toEqual([
      ['1', 5, 'es', '11'],
      ['2', 1, 'it', '12'],
      ['3', null, 'es', '13'],
    ])
  })

  it("reads a GraphQL connection's edges: each node is a review", async () => {
    const answer = {
      data: {
        product: {
          reviews: {
            edges: [
              { cursor: 'YXJyYXljb25uZWN0aW9uOjA=', node: { id: 'r1', rating: 5, body: 'Bollitore ottimo, scalda in un attimo', author: { name: 'Lia' }, createdAt: '2024-03-05T10:00:00Z' } },
              { cursor: 'YXJyYXljb25uZWN0aW9uOjE=', node: { id: 'r2', rating: 2, body: 'Pierde agua por la base', author: { name: 'Leo' }, createdAt: '2024-03-06T10:00:00Z' } },
            ],
            pageInfo: { hasNextPage: false },
          },
        },
      },
    }
    const run = analyzeFile(tempFile('graphql.json', JSON.stringify(answer)))
    const out = (await collect(run)).map(ok)
    expect(run.summary().input.arrayPath).toBe('data.product.reviews.edges')
    expect(run.summary().fields).toEqual({ id: 'node.id', rating: 'node.rating', text: 'node.body', author: 'node.author.name', date: 'node.createdAt' })
    expect(out.map((r) => [r.id, r.rating, r.author, r.language.code])).toEqual([
      ['r1', 5, 'Lia', 'it'],
      ['r2', 2, 'Leo', 'es'],
    ])
    // A row with a text of its own is read as it is, wrapper or not.
    const own = await collect(analyzeBatch([{ id: 'x1', text: 'Works well', node: { body: 'Another text entirely' } }]))
    expect(ok(own[0]).id).toBe('x1')
    // A text mapped into a wrapper (copied from the columns line) reads the other fields there too; one mapped elsewhere, none of them.
    const mapped = analyzeBatch([{ node: { id: 'r9', body: 'Works well', rating: 4 } }], { map: { text: 'node.body' } })
    expect([ok((await collect(mapped))[0]).id, mapped.summary().fields]).toEqual(['r9', { id: 'node.id', text: 'node.body', rating: 'node.rating' }])
    const elsewhere = analyzeBatch([{ node: { id: 'r9', body: 'Works well' }, note: 'Fine' }], { map: { text: 'note' } })
    expect(ok((await collect(elsewhere))[0]).id).toBe('1')
  })

  it('names the path inside the wrapper to read an object where an author belongs', async () => {
    const rows = [{ cursor: 'c1', node: { id: 'r1', body: 'Bollitore ottimo, scalda in un attimo', author: { avatar: { url: 'a.png' }, profile: 'https://x.test/lia' } } }]
    const [row] = await collect(analyzeBatch(rows))
    expect(row).toMatchObject({
      ok: false,
      error: { field: 'author', code: 'invalid_type', message: 'expected a string, got an object with the keys avatar, profile: read one with --map author=node.author.profile (option map.author)' },
    })
    // The map it names reads the author, and the rest is still read inside.
    const mapped = ok((await collect(analyzeBatch(rows, { map: { author: 'node.author.profile' } })))[0])
    expect([mapped.id, mapped.author]).toEqual(['r1', 'https://x.test/lia'])
  })

  it("reads Tripadvisor's location reviews: the published date, not the trip's; the text, not the owner's response", async () => {
    const { rows, fields } = await read(
      analyzeBatch([
        { id: 987654321, lang: 'it', location_id: '188151', published_date: '2024-04-10T10:15:00Z', rating: 5, helpful_votes: 24, trip_type: 'Couples', travel_date: '2024-04', user: { username: 'ViaggiatriceMaria' }, title: 'Vista mozzafiato', text: 'Siamo saliti al tramonto, panorama stupendo e personale gentile', owner_response: { text: 'Grazie mille per la visita!' } },
        { id: 987654322, lang: 'es', location_id: '188151', published_date: '2024-04-12T08:00:00Z', rating: 2, helpful_votes: 1, trip_type: 'Family', travel_date: '2024-03', user: { username: 'JuanV' }, title: 'Colas eternas', text: 'Dos horas de cola aunque teníamos entrada', owner_response: null },
      ]),
    )
    expect(fields).toEqual({ id: 'id', lang: 'lang', product: 'location_id', date: 'published_date', rating: 'rating', author: 'user.username', title: 'title', text: 'text' })
    expect(rows.map((r) => [r.product, r.author, r.date])).toEqual([
      ['188151', 'ViaggiatriceMaria', '2024-04-10T10:15:00.000Z'],
      ['188151', 'JuanV', '2024-04-12T08:00:00.000Z'],
    ])
  })
})

describe('survey exports', () => {
  it("reads SurveyMonkey's second header row as no review: an error row that says what it is", async () => {
    const run = csv('surveymonkey.csv', [
      'Respondent ID,Collector ID,Start Date,End Date,IP Address,How likely is it that you would recommend us to a friend?,What is the main reason for your score?,Which did you buy?,',
      ',,,,,Response,Open-Ended Response,Shoes,Bags',
      '114000000001,4321,03/05/2024 10:22:33 AM,03/05/2024 10:25:01 AM,1.2.3.4,9,"Llegó en dos días, muy cómodas",Shoes,',
    ], { map: { text: 'What is the main reason for your score?' } })
    const rows = await collect(run)
    expect(rows[0]).toMatchObject({
      ok: false,
      row: 1,
      error: { code: 'invalid_row', message: 'line 2 is a survey export\'s second header row ("Response", "Open-Ended Response" …); it was not read as a review' },
    })
    expect(rows.slice(1).map((r) => r.ok)).toEqual([true])
    // Under another first column, a first row like it is a review (a type column that says "Response").
    const other = await collect(csv('replies.csv', ['ticket,type,comment', ',Response,Gracias por la rapidez'], { map: { text: 'comment' } }))
    expect(other.map((r) => r.ok)).toEqual([true])
  })
})

describe('reviewer e-mail columns', () => {
  it('are no author unless mapped: results and reports would carry the addresses', async () => {
    const bare = await read(analyzeBatch([{ Email: 'ana@example.com', text: 'Muy buena compra' }]))
    expect(bare.fields.author).toBeUndefined()
    expect(bare.rows[0]!.author).toBeUndefined()
    const mapped = await read(analyzeBatch([{ Email: 'ana@example.com', text: 'Muy buena compra' }], { map: { author: 'Email' } }))
    expect(mapped.rows[0]!.author).toBe('ana@example.com')
  })
})

describe('database exports', () => {
  it("reads mongoexport's Extended JSON: ids, dates and numbers as the values they hold", async () => {
    const lines = [
      { _id: { $oid: '65e6f1a2b3c4d5e6f7a8b9c0' }, text: 'Bollitore ottimo, scalda in un attimo', rating: 5, createdAt: { $date: '2024-03-05T10:00:00.000Z' }, productId: { $oid: '65e6f1a2b3c4d5e6f7a8b9aa' }, userId: { $oid: '65e6f1a2b3c4d5e6f7a8b9bb' } },
      { _id: { $oid: '65e6f1a2b3c4d5e6f7a8b9c1' }, text: 'Pierde agua por la base', rating: { $numberInt: '2' }, createdAt: { $date: { $numberLong: '1709719200000' } }, productId: 'p1', userId: 'u2', verified: { $numberInt: '0' } },
      { _id: { $oid: '65e6f1a2b3c4d5e6f7a8b9c2' }, text: 'Works well', rating: { $numberDouble: '4.5' }, createdAt: { $date: 1709805600000 } },
    ]
    const run = analyzeFile(tempFile('reviews.json', lines.map((l) => JSON.stringify(l)).join('\n') + '\n'))
    const out = (await collect(run)).map(ok)
    expect(out.map((r) => [r.id, r.rating, r.date, r.product ?? null, r.author ?? null])).toEqual([
      ['65e6f1a2b3c4d5e6f7a8b9c0', 5, '2024-03-05T10:00:00.000Z', '65e6f1a2b3c4d5e6f7a8b9aa', '65e6f1a2b3c4d5e6f7a8b9bb'],
      ['65e6f1a2b3c4d5e6f7a8b9c1', 2, '2024-03-06T10:00:00.000Z', 'p1', 'u2'],
      ['65e6f1a2b3c4d5e6f7a8b9c2', 4.5, '2024-03-07T10:00:00.000Z', null, null],
    ])
    expect(out[1]!.authenticity.signals.map((s) => s.type)).toContain('unverified')
    expect(run.summary().fields).toMatchObject({ id: '_id', date: 'createdAt', author: 'userId', product: 'productId' })
  })

  it('reads a timestamp object as a date: Protocol Buffers and Firestore', async () => {
    const rows = [
      { id: 'f1', text: 'Muy buena', created_at: { _seconds: 1709632800, _nanoseconds: 0 } },
      { id: 'f2', text: 'Muy buena', created_at: { seconds: '1709632800', nanos: 5_000_000 } },
    ]
    expect((await collect(analyzeBatch(rows))).map((r) => ok(r).date)).toEqual(['2024-03-05T10:00:00.000Z', '2024-03-05T10:00:00.005Z'])
    // Only where a date belongs, and only such objects: any other stays an error row that names it.
    const [other] = await collect(analyzeBatch([{ id: 'f3', text: 'Muy buena', created_at: { seconds: 1709632800, zone: 'CET' } }]))
    expect(other).toMatchObject({ ok: false, error: { field: 'date', code: 'invalid_date' } })
    const [rating] = await collect(analyzeBatch([{ id: 'f4', text: 'Muy buena', rating: { seconds: 4 } }]))
    expect(rating).toMatchObject({ ok: false, error: { field: 'rating' } })
  })
})

describe('reviews in halves (pros and cons)', () => {
  /** Each span's substring of the half or text it names. */
  function spanTexts(r: ReviewResult, row: { text?: string; title?: string; pros?: string; cons?: string }): [string, string][] {
    const out: [string, string][] = []
    for (const tag of r.journey) for (const span of tag.spans) out.push([span.field, row[span.field]!.slice(span.start, span.end)])
    for (const e of r.sentiment.explain ?? []) {
      expect(row[e.field]!.slice(e.start, e.end)).toBe(e.text)
      out.push([e.field, e.text])
    }
    return out
  }

  it("reads Booking.com's positive and negative review as the text, leaving out halves that say nothing", async () => {
    const run = csv(
      'booking.csv',
      [
        'Review date,Guest name,Reservation number,Review title,Positive review,Negative review,Review score,Staff,Cleanliness,Location,Property reply',
        '2024-03-05,Ana,4012345678,Genial,"Ubicación perfecta, el personal muy amable",El desayuno era escaso,8,9,8,10,¡Gracias Ana!',
        '2024-03-06,Marco,4012345679,Pessimo,No Positive,"Camera sporca, nessuno ha risposto",2,2,1,6,',
        '2024-03-07,Ann,4012345680,Fine,No Positive,No Negative,6,,,,',
      ],
      { ratingScale: '1-10', explain: true },
    )
    const out = await collect(run)
    expect(run.summary().fields).toEqual({ title: 'Review title', rating: 'Review score', date: 'Review date', author: 'Guest name', pros: 'Positive review', cons: 'Negative review' })
    const [ana, marco, empty] = out
    expect(ok(ana).language.code).toBe('es')
    const anaSpans = spanTexts(ok(ana), { title: 'Genial', pros: 'Ubicación perfecta, el personal muy amable', cons: 'El desayuno era escaso' })
    expect(anaSpans).toContainEqual(['cons', 'desayuno'])
    expect(anaSpans).toContainEqual(['pros', 'amable'])
    expect(anaSpans.every(([field]) => field !== 'text')).toBe(true)
    // "No Positive" is no half: Marco's review is its negative half alone, and in Italian.
    expect([ok(marco).language.code, ok(marco).sentiment.label]).toEqual(['it', 'negative'])
    expect(spanTexts(ok(marco), { title: 'Pessimo', cons: 'Camera sporca, nessuno ha risposto' }).every(([field]) => field === 'title' || field === 'cons')).toBe(true)
    expect(empty).toMatchObject({ ok: false, row: 3, error: { field: 'text', code: 'required', message: 'text is required: the row has none, and no words in its pros "No Positive" or cons "No Negative"' } })
  })

  it("reads the 515k hotel reviews' columns, negative half first in the file, positive first in the text", async () => {
    const run = csv('Hotel_Reviews.csv', [
      'Hotel_Address,Additional_Number_of_Scoring,Review_Date,Average_Score,Hotel_Name,Reviewer_Nationality,Negative_Review,Review_Total_Negative_Word_Counts,Total_Number_of_Reviews,Positive_Review,Review_Total_Positive_Word_Counts,Total_Number_of_Reviews_Reviewer_Has_Given,Reviewer_Score,Tags,days_since_review,lat,lng',
      's Gravesandestraat 55 Oost 1092 AA Amsterdam Netherlands,194,8/3/2017,7.7,Hotel Arena, Russia , I am so angry that i made this post available via all possible sites i use when planing my trips ,397,1403, Only the park outside of the hotel was beautiful ,11,7,2.9,"[\' Leisure trip \']",0 days,52.36,4.91',
      's Gravesandestraat 55 Oost 1092 AA Amsterdam Netherlands,194,8/3/2017,7.7,Hotel Arena, Ireland ,No Negative,0,1403, No real complaints the hotel was great great location surroundings rooms amenities and service ,105,7,7.5,"[\' Leisure trip \']",0 days,52.36,4.91',
    ])
    const out = (await collect(run)).map(ok)
    // The hotel's average score is no review's rating: without --map rating=Reviewer_Score there is none.
    expect(run.summary().fields).toEqual({ date: 'Review_Date', pros: 'Positive_Review', cons: 'Negative_Review' })
    expect(out.map((r) => [r.rating, r.date, r.sentiment.label])).toEqual([
      [null, '2017-08-03T00:00:00.000Z', 'neutral'],
      [null, '2017-08-03T00:00:00.000Z', 'positive'],
    ])
  })

  it('ends a half with its sentence: a negation in one does not turn the other around', async () => {
    const [r] = (await collect(analyzeBatch([{ pros: 'Nothing', cons: 'The room was dirty and the staff rude' }], { explain: true }))).map(ok)
    expect(r!.sentiment.label).toBe('negative')
    const dirty = r!.sentiment.explain!.find((e) => e.text === 'dirty')
    expect([dirty?.field, dirty?.start, Math.sign(dirty?.weight ?? 0)]).toEqual(['cons', 13, -1])
  })

  it("reads Reevoo's general comment as the text and its good and bad points as its halves", async () => {
    const row = { id: 77, overall_score: 8, general_comments: 'Bought it for my daughter.', good_points: 'Easy to set up, great sound', bad_points: 'The battery dies fast' }
    const run = analyzeBatch([row], { explain: true, ratingScale: '0-10', map: { rating: 'overall_score' } })
    const [r] = (await collect(run)).map(ok)
    expect(run.summary().fields).toEqual({ id: 'id', text: 'general_comments', rating: 'overall_score', pros: 'good_points', cons: 'bad_points' })
    const texts = spanTexts(r!, { text: row.general_comments, pros: row.good_points, cons: row.bad_points })
    expect(texts).toContainEqual(['pros', 'great'])
    expect(texts).toContainEqual(['cons', 'battery'])
    // The same review as one text scores the same: the halves only end their sentences.
    const whole = analyzeBatch([{ text: 'Bought it for my daughter.\n\nEasy to set up, great sound.\n\nThe battery dies fast' }])
    expect(ok((await collect(whole))[0]).sentiment.score).toBe(r!.sentiment.score)
  })

  it('reads mapped halves, refuses a CSV without a text or a half, and says which half is no text', async () => {
    const run = csv('survey.csv', ['order,What did you like?,What could we improve?', '1,"Rapidez del envío","Nada, todo perfecto"'], { map: { pros: 'What did you like?', cons: 'What could we improve?' } })
    const [r] = (await collect(run)).map(ok)
    expect([r!.language.code, run.summary().fields]).toEqual(['es', { pros: 'What did you like?', cons: 'What could we improve?' }])
    await expect(collect(csv('none.csv', ['order,score', '1,5']))).rejects.toThrow(/no review text column in the CSV header \(order, score\)/)
    await expect(collect(csv('gone.csv', ['order,liked_it', '1,Si'], { map: { pros: 'liked' } }))).rejects.toThrow(/no review text column/)
    // A count or a flag in a column of a half's name is no half; an object is an error row that names it.
    const odd = await collect(analyzeBatch([{ text: 'Works well', liked: true, cons: 3 }, { pros: { a: 1 }, cons: 'Too loud' }]))
    expect(ok(odd[0]).sentiment.label).toBe('positive')
    expect(odd[1]).toMatchObject({ ok: false, error: { field: 'pros', code: 'invalid_type', message: 'expected a string, got an object' } })
  })

  it('reads a count or a flag written as text in a column of a half\'s name as no half, as it reads the number', async () => {
    const text = 'The blender arrived quickly and works really well, very happy with the purchase and the price'
    const run = csv('flags.csv', ['id,author,text,liked,cons', `1,a,"${text}",1,0`, `2,b,"${text}",0,12`, `3,c,"${text}",,-1.5`])
    const out = (await collect(run)).map(ok)
    const plain = (await collect(analyzeBatch([1, 2, 3].map((id) => ({ id: String(id), author: 'abc'[id - 1], text }))))).map(ok)
    expect(out).toEqual(plain)
  })

  it('names the halves of a text kept in an object, and reads them mapped without counting the object as the text', async () => {
    const answer = {
      data: {
        reviews: [
          { review_id: 'Qr-1', created_timestamp: '2018-05-13 12:16:33', scoring: { review_score: 8 }, content: { headline: 'Muy bien', positive: 'Personal amable', negative: 'El wifi no funcionaba', language_code: 'es' }, reviewer: { name: 'Ana' } },
        ],
      },
    }
    const file = tempFile('reviews.json', JSON.stringify(answer))
    const [refused] = await collect(analyzeFile(file))
    expect(refused).toMatchObject({
      ok: false,
      error: { field: 'text', message: 'expected a string, got an object with the keys headline, positive, negative, language_code: read its halves with --map pros=content.positive,cons=content.negative (options map.pros, map.cons)' },
    })
    const run = analyzeFile(file, { map: { pros: 'content.positive', cons: 'content.negative', title: 'content.headline' } })
    const [r] = (await collect(run)).map(ok)
    expect([r!.language.code, r!.sentiment.label]).toEqual(['es', 'positive'])
    expect(run.summary().fields).toEqual({ id: 'review_id', title: 'content.headline', author: 'reviewer.name', pros: 'content.positive', cons: 'content.negative' })
  })

  it("reads halves kept in a JSON:API resource's attributes or a GraphQL node, as a text kept there is", async () => {
    const rows = [
      { id: '1', type: 'reviews', attributes: { pros: 'Great support team', cons: 'Slow dashboard', rating: 4 } },
      { node: { id: 'n2', pros: 'Fast delivery', cons: 'Broken box', rating: 2 } },
    ]
    const run = analyzeBatch(rows)
    const out = (await collect(run)).map(ok)
    expect(out.map((r) => [r.id, r.rating])).toEqual([['1', 4], ['n2', 2]])
    expect(run.summary().fields).toMatchObject({ id: 'id', rating: 'attributes.rating', pros: 'attributes.pros', cons: 'attributes.cons' })
    const flat = (await collect(analyzeBatch([{ id: '1', pros: 'Great support team', cons: 'Slow dashboard', rating: 4 }]))).map(ok)
    expect(out[0]).toEqual(flat[0])
  })

  it('names the halves of a row without words whose text is null, as of one whose text is blank or missing', async () => {
    const out = await collect(analyzeBatch([{ id: 'a', text: null, pros: 'No Positive', cons: 'No Negative' }, { id: 'b', text: ' ', pros: 'No Positive', cons: 'No Negative' }]))
    const message = 'text is required: the row has none, and no words in its pros "No Positive" or cons "No Negative"'
    expect(out).toMatchObject([
      { id: 'a', ok: false, row: 1, error: { field: 'text', code: 'required', message } },
      { id: 'b', ok: false, row: 2, error: { field: 'text', code: 'required', message } },
    ])
    // Blank halves are said to be blank, not shown as empty quotes.
    const blank = await collect(analyzeBatch([{ id: 'c', pros: '', cons: null }]))
    expect(blank[0]).toMatchObject({ error: { message: 'text is required: the row has none, and no words in its pros (blank) or cons (blank)' } })
  })

  it('reads a half that holds only a marker of no value ("#N/A", "n/d") as no half, as the other fields do', async () => {
    const out = await collect(analyzeBatch([{ id: 'e', pros: 'n/d', cons: '#N/A' }, { id: 'f', pros: 'Great location', cons: 'S/D' }, { id: 'g', pros: 'Great location', cons: 'None' }]))
    expect(out[0]).toMatchObject({ ok: false, error: { field: 'text', code: 'required', message: 'text is required: the row has none, and no words in its pros "n/d" or cons "#N/A"' } })
    const [plain] = await collect(analyzeBatch([{ id: 'f', pros: 'Great location' }]))
    expect({ ...out[1], row: 1 }).toEqual(plain)
    // A reviewer's own "None" says something: it is read.
    expect(out[2]!.ok && out[2]!.sentiment).not.toEqual(plain!.ok && plain!.sentiment)
  })

  it("reads a flag under a half's name as no half, and refuses a text that is no text beside halves", async () => {
    const halves = { id: 'd', pros: 'Great sound, easy to set up', cons: 'The battery dies fast' }
    const [plain] = await collect(analyzeBatch([halves]))
    const [flagged] = await collect(analyzeBatch([{ ...halves, liked: 'Yes', disliked: 'no' }]))
    expect(flagged).toEqual(plain)
    // Without the halves a number or a stray object is no text: beside them it is not passed over in silence.
    const odd = await collect(analyzeBatch([{ ...halves, text: 5 }, { ...halves, review: { stars: 5 } }]))
    expect(odd.map((r) => (r.ok ? 'ok' : `${r.error.field} ${r.error.code}`))).toEqual(['text invalid_type', 'text invalid_type'])
  })

  it('names both halves of a text kept in an object when the row left one of them empty', async () => {
    const out = await collect(analyzeBatch([{ id: 1, content: { headline: 'Bien', positive: 'Personal amable', negative: null } }]))
    expect(out[0]).toMatchObject({
      ok: false,
      error: { field: 'text', message: 'expected a string, got an object with the keys headline, positive, negative: read its halves with --map pros=content.positive,cons=content.negative (options map.pros, map.cons)' },
    })
  })

  it('says that a text over maxTextLength was read from the halves, which it counts as one text', async () => {
    const rows = [{ id: 'a', pros: 'a'.repeat(30), cons: 'b'.repeat(30) }, { id: 'b', text: 'c'.repeat(59), pros: 'Good' }, { id: 'c', pros: 'd'.repeat(61) }, { id: 'd', text: 'e'.repeat(61) }]
    const out = await collect(analyzeBatch(rows, { maxTextLength: 60 }))
    expect(out.map((r) => (r.ok ? 'ok' : `${r.error.field}: ${r.error.message}`))).toEqual([
      'text: expected at most 60 characters, got 63 in its pros and cons read as one text (30 + 30 characters, with a paragraph break between them)',
      'text: expected at most 60 characters, got 66 in its text and pros read as one text (59 + 4 characters, with a paragraph break between them)',
      'text: expected at most 60 characters, got 61 in its pros',
      'text: expected at most 60 characters, got 61',
    ])
  })
})
