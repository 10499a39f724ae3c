import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeText } from './analyze-text.js';

const tokensOf = (text: string) => analyzeText(text, { stopWords: false, stemming: false });

describe('the BM25 tokenizer', () => {
  it('splits Latin text on spaces and punctuation, lower-cases it and keeps diacritics', () => {
    expect(tokensOf('Crème Brûlée, naïve CAFÉ-au-lait!')).toEqual([
      'crème',
      'brûlée',
      'naïve',
      'café',
      'au',
      'lait',
    ]);
  });

  it('composes decomposed accents (NFKC) so both spellings give one token', () => {
    expect(tokensOf('e\u0301cole')).toEqual(['école']);
    expect(tokensOf('école')).toEqual(['école']);
  });

  it('keeps the voicing mark of a decomposed or half-width kana with the kana', () => {
    // NFD "が" is "か" + U+3099: the mark was dropped, so NFC and NFD Japanese gave different terms.
    expect(tokensOf('がぎぐげご'.normalize('NFD'))).toEqual(['が', 'ぎ', 'ぐ', 'げ', 'ご']);
    expect(tokensOf('パン'.normalize('NFD'))).toEqual(['パ', 'ン']);
    expect(tokensOf('ｶﾞｯｺｳ ﾊﾟﾝ')).toEqual(['ガ', 'ッ', 'コ', 'ウ', 'パ', 'ン']);
  });

  it('gives the same terms for the NFC and the NFD form of any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(analyzeText(text.normalize('NFD'))).toEqual(analyzeText(text.normalize('NFC')));
      }),
      { numRuns: 2_000 },
    );
  });

  it('segments a Burmese letter followed by a Hangul syllable alike in NFC and NFD', () => {
    // A counterexample of the property above: ICU kept the decomposed form as one word.
    expect(analyzeText('က가'.normalize('NFD'))).toEqual(analyzeText('က가'.normalize('NFC')));
  });

  it('splits Thai, Lao, Khmer and Burmese text, written without spaces, into words', () => {
    // A whole run was one term, so a Thai query word never matched inside a Thai sentence.
    expect(tokensOf('ภาษาไทยง่ายมาก')).toEqual(['ภาษา', 'ไทย', 'ง่าย', 'มาก']);
    expect(tokensOf('ຂອບໃຈຫຼາຍ').length).toBeGreaterThan(1);
    expect(tokensOf('ខ្ញុំស្រលាញ់').length).toBeGreaterThan(1);
    expect(tokensOf('ฉันชอบเรียนภาษาไทยมาก ภาษาอังกฤษ')).toEqual([
      'ฉัน',
      'ชอบ',
      'เรียน',
      'ภาษา',
      'ไทย',
      'มาก',
      'ภาษา',
      'อังกฤษ',
    ]);
  });

  it('splits a Thai, Lao, Khmer or Burmese word from a Latin word or number written against it', () => {
    // ICU's segmenter keeps "Qwen3ทำงาน" one word, so such a run was one term that no query word matched.
    // Lucene's ICU tokenizer first breaks where the script changes, then segments each part.
    expect(tokensOf('Qwen3ทำงานได้ดี')).toEqual(['qwen3', 'ทํางาน', 'ได้', 'ดี']);
    expect(tokensOf('ใช้APIง่าย')).toEqual(['ใช้', 'api', 'ง่าย']);
    expect(tokensOf('ภาษาไทยAPI')).toEqual(['ภาษา', 'ไทย', 'api']);
    expect(tokensOf('ราคา100บาท')).toEqual(['ราคา', '100', 'บาท']);
    expect(tokensOf('ລາວAPI')).toEqual(['ລາວ', 'api']);
    expect(tokensOf("iPhone's l'ภาษา")).toEqual(['iphone', 'l', 'ภาษา']);
    expect(analyzeText('iPhoneรุ่นใหม่ models')).toEqual(['iphon', 'รุ่น', 'ใหม่', 'model']);
  });

  it('gives one term for SARA AM typed precomposed or as NIKHAHIT + SARA AA, with or without a tone mark', () => {
    // NFC keeps U+0E33 and U+0E4D U+0E32 apart, so ICU split the decomposed "ทํางาน" into "ทํา" + "งาน", and
    // NFKC put a tone mark typed after the NIKHAHIT on the other side of it ("น้ำ"): neither matched.
    const decomposed = (text: string) =>
      text.replaceAll('\u0e33', '\u0e4d\u0e32').replaceAll('\u0eb3', '\u0ecd\u0eb2');
    expect(tokensOf('ท\u0e4d\u0e32งาน')).toEqual(tokensOf('ทำงาน'));
    expect(tokensOf('ทำงาน')).toEqual(['ท\u0e4d\u0e32งาน']);
    // "น้ำ" typed decomposed: NIKHAHIT, tone mark, SARA AA, or tone mark, NIKHAHIT, SARA AA.
    expect(tokensOf('น\u0e4d\u0e49\u0e32ดื่ม')).toEqual(tokensOf('น้ำดื่ม'));
    expect(tokensOf('น\u0e49\u0e4d\u0e32ดื่ม')).toEqual(tokensOf('น้ำดื่ม'));
    expect(tokensOf('ดื่มน้ำเย็น')).toEqual(['ดื่ม', 'น\u0e49\u0e4d\u0e32', 'เย็น']);
    // Lao: LAO VOWEL SIGN AM U+0EB3 or NIGGAHITA + SARA AA (U+0ECD U+0EB2), with the tone mark in either place.
    expect(tokensOf('ນ\u0ecd\u0ec9\u0eb2')).toEqual(tokensOf('ນ້ຳ'));
    expect(tokensOf('ນ\u0ec9\u0ecd\u0eb2')).toEqual(tokensOf('ນ້ຳ'));
    for (const text of ['ฉันทำงานที่บ้านและดื่มน้ำมาก', 'กำลังจำคำนำ', 'ຄຳວ່າ ນ້ຳ ລຳ']) {
      expect(tokensOf(decomposed(text))).toEqual(tokensOf(text));
    }
  });

  it('folds full-width letters and ligatures to plain letters (NFKC)', () => {
    expect(tokensOf('ＡＰＩ ﬁle')).toEqual(['api', 'file']);
  });

  it('leaves out the punctuation NFKC gives an enclosed number at the edges of its term', () => {
    // "⒈" (DIGIT ONE FULL STOP) gave the term "1." and "⑴" the term "(1)": neither matched "1".
    expect(tokensOf('⒈ ⑴ ⑽ ㈠ ½')).toEqual(['1', '1', '10', '一', '1⁄2']);
    // Neither letters nor digits in UAX #29, they join no word across punctuation: "½.a" gave "1⁄2.a".
    expect(tokensOf('½.a ⒈.5 a.²')).toEqual(['1⁄2', 'a', '1', '5', 'a', '2']);
    // GREEK YPOGEGRAMMENI is a space and a combining mark in NFKC: no letter or digit, so no term.
    expect(tokensOf('ͺ ok')).toEqual(['ok']);
  });

  it('reads Cyrillic, Greek, Arabic and Hangul words', () => {
    expect(tokensOf('Москва — СТОЛИЦА России')).toEqual(['москва', 'столица', 'россии']);
    expect(tokensOf('Ελληνικά ΚΕΊΜΕΝΑ')).toEqual(['ελληνικά', 'κείμενα']);
    expect(tokensOf('اللغة العربية جميلة')).toEqual(['اللغة', 'العربية', 'جميلة']);
    expect(tokensOf('한국어 문장입니다')).toEqual(['한국어', '문장입니다']);
  });

  it('makes each Han, Hiragana and Katakana character a token', () => {
    expect(tokensOf('東京タワーは高い')).toEqual(['東', '京', 'タ', 'ワ', 'ー', 'は', '高', 'い']);
    expect(tokensOf('API接口')).toEqual(['api', '接', '口']);
  });

  it('keeps digits of every script and mixed letter-digit words', () => {
    expect(tokensOf('COVID19 in 2024: 3.5% and ١٢٣')).toEqual(['covid19', 'in', '2024', '3.5', 'and', '١٢٣']);
  });

  it('keeps a number one token across a decimal point or a thousands separator between digits (UAX #29 WB11, WB12)', () => {
    // "3.14" gave the terms "3" and "14", so a query for 3.14 matched any document with a 3 and a 14.
    expect(tokensOf("pi is 3.14, not 3,14; 1,000 or 1,000,000.50 or 1'000 (Swiss) or 1;2")).toEqual([
      'pi',
      'is',
      '3.14',
      'not',
      '3,14',
      '1,000',
      'or',
      '1,000,000.50',
      'or',
      "1'000",
      'swiss',
      'or',
      '1;2',
    ]);
    expect(tokensOf('version 2.5.1, Python3.12 and v1.2.3-rc1')).toEqual([
      'version',
      '2.5.1',
      'python3.12',
      'and',
      'v1.2.3',
      'rc1',
    ]);
    // Only between two digits: a separator at the edge of a number, or before a letter, still separates.
    expect(tokensOf('3. .5 -0.25 3.a a.1 1.e5 3..14 3. 14')).toEqual([
      '3',
      '5',
      '0.25',
      '3',
      'a',
      'a',
      '1',
      '1',
      'e5',
      '3',
      '14',
      '3',
      '14',
    ]);
    // Full-width and other-script separators (NFKC gives "3.14"), Arabic-Indic digits with the Arabic ones.
    expect(tokensOf('３．１４ 3\uFE5214 ١٫٥ ١٬٠٠٠ 1\u20442')).toEqual([
      '3.14',
      '3.14',
      '١٫٥',
      '١٬٠٠٠',
      '1⁄2',
    ]);
    // A hyphen is not a number separator: "COVID-19" is two terms, as in Lucene.
    expect(tokensOf('COVID-19 IL-6')).toEqual(['covid', '19', 'il', '6']);
  });

  it('ignores emoji, symbols and variation selectors', () => {
    expect(tokensOf('love ❤️ pizza 🍕👍🏽 ok ✓')).toEqual(['love', 'pizza', 'ok']);
    expect(tokensOf('😀😀😀')).toEqual([]);
  });

  it('keeps apostrophes inside words and drops a possessive "s"', () => {
    expect(tokensOf("don't SeaLink's it’s O'Brien")).toEqual(["don't", 'sealink', 'it', "o'brien"]);
    expect(tokensOf("the models' scores")).toEqual(['the', 'models', 'scores']);
  });

  it('keeps an apostrophe inside a word only between two letters, or two digits (UAX #29 WB6, WB7, WB11)', () => {
    // "5'UTR" was one term "5'utr", so it did not match "5' UTR", "5′UTR" or "UTR".
    expect(tokensOf("5'UTR 3’-end 5' UTR 1990's rock'n'roll O'Neil Alzheimer's")).toEqual([
      '5',
      'utr',
      '3',
      'end',
      '5',
      'utr',
      '1990',
      "rock'n'roll",
      "o'neil",
      'alzheimer',
    ]);
    // A possessive written against Thai is dropped too: it gave the term "sealink's".
    expect(tokensOf("SeaLink'sภาษา")).toEqual(['sealink', 'ภาษา']);
    // A left single quotation mark or a full-width apostrophe used as an apostrophe reads like one.
    expect(tokensOf('don‘t don＇t')).toEqual(["don't", "don't"]);
    expect(analyzeText("Alzheimer's Alzheimers alzheimer Alzheimer’s")).toEqual([
      'alzheim',
      'alzheim',
      'alzheim',
      'alzheim',
    ]);
  });

  it('drops a possessive "s" and keeps an inner apostrophe in words of any letters, not only a to z', () => {
    // A word starting with a letter outside a to z ended at its apostrophe, leaving a stray "s" term.
    expect(tokensOf("Ørsted's Müller’s Zoë's")).toEqual(['ørsted', 'müller', 'zoë']);
    expect(tokensOf("Émile's ÉMILE'S")).toEqual(['émile', 'émile']);
    // An apostrophe between letters stays inside the word whatever the letters.
    expect(tokensOf("l'été l’été L'ETE")).toEqual(["l'été", "l'été", "l'ete"]);
    expect(tokensOf("Ål'ek")).toEqual(["ål'ek"]);
  });

  it('keeps an apostrophe, full stop, colon or middle dot between two letters inside a word (UAX #29 WB6, WB7)', () => {
    expect(tokensOf('e.g. i.e., U.S.A. node.js key:value col·lega')).toEqual([
      'e.g',
      'i.e',
      'u.s.a',
      'node.js',
      'key:value',
      'col·lega',
    ]);
    // Not at the edge of a word, not twice in a row, not between a letter and a digit, and a colon not between
    // digits; a comma or semicolon joins only digits.
    expect(tokensOf('end. .net a..b a.1 1:2 a,b a;b Fig.2')).toEqual([
      'end',
      'net',
      'a',
      'b',
      'a',
      '1',
      '1',
      '2',
      'a',
      'b',
      'a',
      'b',
      'fig',
      '2',
    ]);
    // Full-width forms read as their ASCII ones (NFKC), in letters of any script but Thai, Lao, Khmer and
    // Burmese, which the dictionary segmenter splits.
    expect(tokensOf('ｅ．ｇ Ж.Д ภาษา.ไทย')).toEqual(['e.g', 'ж.д', 'ภาษา', 'ไทย']);
  });

  it('gives the words of Unicode word segmentation (UAX #29, ICU) for letters, digits and joining punctuation', () => {
    // Node's Intl.Segmenter is ICU's implementation of UAX #29. The tokenizer differs from it on purpose in
    // dropping a possessive "'s" (no "s" here), and in folding case and NFKC.
    const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
    const pieces = [
      'a',
      'B',
      'é',
      'ж',
      '1',
      '9',
      '٣',
      '.',
      ',',
      ';',
      ':',
      "'",
      '’',
      '·',
      '，',
      '．',
      '：',
      ' ',
      '-',
      '/',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        const expected = Array.from(segmenter.segment(text))
          .filter((segment) => segment.isWordLike === true)
          .map((segment) => segment.segment.normalize('NFKC').replaceAll('’', "'").toLowerCase());
        expect(tokensOf(text)).toEqual(expected);
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives tokens that start and end with a letter or digit and read back as themselves', () => {
    const pieces = [
      'a',
      'B',
      'é',
      'e\u0301',
      'ж',
      's',
      'S',
      '1',
      '9',
      '٣',
      '๑',
      'ไทย',
      '東',
      '.',
      ',',
      ';',
      ':',
      "'",
      '’',
      '‘',
      '＇',
      '·',
      '，',
      '．',
      '٫',
      '⁄',
      ' ',
      '-',
      '_',
      '/',
      '\u00AD',
    ];
    // Numbers that NFKC writes with punctuation ("⒈" is "1.", "⑴" "(1)", "½" "1⁄2"): their tokens still start
    // and end with a letter or digit, but "⑴a" gives "1)a", which reads back as "1" and "a".
    const enclosedNumbers = ['⒈', '⑴', '½'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 24 }),
        fc.array(fc.constantFrom(...pieces, ...enclosedNumbers), { maxLength: 24 }),
        (parts, partsWithEnclosedNumbers) => {
          const tokens = tokensOf(parts.join(''));
          for (const token of [...tokens, ...tokensOf(partsWithEnclosedNumbers.join(''))]) {
            expect(token).toMatch(/^[\p{L}\p{N}]/u);
            expect(token).toMatch(/[\p{L}\p{N}\p{M}]$/u);
          }
          expect(tokensOf(tokens.join(' '))).toEqual(tokens);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('folds case fully: sharp s as "ss", dotted capital I as "i", final sigma as the word gives it', () => {
    // toLowerCase alone gave "straße" ≠ "strasse" and "i̇stanbul" (i + U+0307) ≠ "istanbul".
    expect(tokensOf('Straße STRASSE straße ẞ')).toEqual(['strasse', 'strasse', 'strasse', 'ss']);
    expect(tokensOf('İstanbul ISTANBUL istanbul I\u0307stanbul')).toEqual([
      'istanbul',
      'istanbul',
      'istanbul',
      'istanbul',
    ]);
    expect(tokensOf('ΟΔΟΣ οδος')).toEqual(['οδος', 'οδος']);
    expect(analyzeText('Straße')).toEqual(analyzeText('STRASSE'));
  });

  it('reads a soft hyphen, zero-width joiner or non-joiner inside a word as part of it, and drops it', () => {
    // Invisible format characters (Unicode Cf, as UAX #29 ignores them inside words) split words in two.
    expect(tokensOf('inter\u00ADnational international')).toEqual(['international', 'international']);
    expect(tokensOf('Inter\u00ADNatio\u00ADnal')).toEqual(['international']);
    expect(tokensOf('می\u200Cخواهم میخواهم')).toEqual(['میخواهم', 'میخواهم']);
    expect(tokensOf('a\u200Db \u00ADword')).toEqual(['ab', 'word']);
    // A zero-width space still separates words.
    expect(tokensOf('one\u200Btwo')).toEqual(['one', 'two']);
    // In Thai, Lao, Khmer or Burmese too: ICU's segmenter kept "ไทย\u00ADไทย" one word "ไทยไทย", where the text
    // without the soft hyphen gives two, so the query word "ไทย" did not match.
    expect(tokensOf('ภาษา\u00ADไทย ภาษาไทย')).toEqual(['ภาษา', 'ไทย', 'ภาษา', 'ไทย']);
    expect(tokensOf('ไทย\u00ADไทย ไทย\u200Cไทย ไทย\u200Dไทย')).toEqual(tokensOf('ไทยไทย ไทยไทย ไทยไทย'));
    // A possessive "'s" followed by a soft hyphen is still a possessive: it gave the term "sealink's".
    expect(tokensOf("SeaLink's\u00AD a’S\u00AD")).toEqual(['sealink', 'a']);
  });

  it('finds no token in empty or blank text', () => {
    expect(tokensOf('')).toEqual([]);
    expect(tokensOf(' \n\t.,;!?')).toEqual([]);
  });

  it('handles a lone surrogate as a separator', () => {
    expect(tokensOf('ab\uD800cd \uDC00ef')).toEqual(['ab', 'cd', 'ef']);
  });
});

describe('the English word analysis', () => {
  it('drops stop words and stems English words with Porter', () => {
    expect(analyzeText('The models are ranking the documents quickly')).toEqual([
      'model',
      'rank',
      'document',
      'quickli',
    ]);
  });

  it('maps "models" and "model", "IDs" and "id" to the same term', () => {
    expect(analyzeText('models IDs')).toEqual(analyzeText('model id'));
  });

  it('does not stem numbers, words with apostrophes or other scripts', () => {
    expect(analyzeText("2024s o'connell книги")).toEqual(['2024s', "o'connell", 'книги']);
  });

  it('gives no term for a query of stop words only', () => {
    expect(analyzeText('what is the of and to')).toEqual([]);
  });

  it('can keep stop words and skip stemming', () => {
    expect(analyzeText('the models', { stopWords: false })).toEqual(['the', 'model']);
    expect(analyzeText('the models', { stemming: false })).toEqual(['models']);
  });
});
