import { describe, expect, test } from 'vitest';
import { detectLanguage } from '../../src/text/language';

// Short, chat-like messages in the languages of our consultations, written for this test.
describe('detectLanguage', () => {
  test.each([
    ['en', 'Maybe the foundation could translate the main documents'],
    ['en', 'Honestly I did not understand the last survey'],
    ['en', 'Our group meets every Saturday in the library'],
    ['en', 'Why are the grants so hard to apply for?'],
    ['en', 'Let us keep the discussion focused on partnerships'],
    ['en', 'Mobile editing is still really painful for me'],
    ['fr', 'Peut-être que la fondation pourrait traduire les documents'],
    ['fr', 'Honnêtement je n\'ai pas compris le dernier sondage'],
    ['fr', 'Notre groupe se réunit chaque samedi à la bibliothèque'],
    ['fr', 'Pourquoi les subventions sont-elles si difficiles à obtenir ?'],
    ['fr', 'Gardons la discussion centrée sur les partenariats'],
    ['fr', 'Modifier sur mobile reste vraiment pénible pour moi'],
    ['es', 'Quizás la fundación podría traducir los documentos principales'],
    ['es', 'Sinceramente no entendí la última encuesta'],
    ['es', 'Nuestro grupo se reúne cada sábado en la biblioteca'],
    ['es', '¿Por qué las becas son tan difíciles de solicitar?'],
    ['es', 'Mantengamos la discusión centrada en las alianzas'],
    ['es', 'Editar desde el móvil sigue siendo muy difícil para mí'],
    ['pt', 'Talvez a fundação pudesse traduzir os documentos principais'],
    ['pt', 'Sinceramente não entendi a última pesquisa'],
    ['pt', 'O nosso grupo reúne-se todos os sábados na biblioteca'],
    ['pt', 'Por que as bolsas são tão difíceis de pedir?'],
    ['pt', 'Vamos manter a discussão focada nas parcerias'],
    ['pt', 'Editar pelo telemóvel ainda é muito difícil para mim'],
    ['ar', 'ربما تستطيع المؤسسة ترجمة الوثائق الرئيسية'],
    ['ar', 'بصراحة لم أفهم الاستطلاع الأخير'],
    ['ar', 'تجتمع مجموعتنا كل يوم سبت في المكتبة'],
    ['ar', 'لماذا من الصعب التقدم للمنح؟'],
    ['ar', 'لنركز النقاش على الشراكات'],
    ['ar', 'التحرير من الهاتف ما زال صعبا'],
    ['ja', '財団が主要な文書を翻訳してくれるといいですね'],
    ['ja', '正直、前回のアンケートはよく分かりませんでした'],
    ['ja', '私たちのグループは毎週土曜日に図書館で集まります'],
    ['ja', 'なぜ助成金の申請はこんなに難しいのですか'],
    ['ja', 'パートナーシップに絞って議論しましょう'],
    ['ja', 'スマホでの編集はまだ大変です'],
    ['ru', 'Может быть, фонд мог бы перевести основные документы'],
    ['ru', 'Честно говоря, я не понял последний опрос'],
    ['ru', 'Наша группа собирается каждую субботу в библиотеке'],
    ['ru', 'Почему гранты так сложно получить?'],
    ['ru', 'Давайте сосредоточимся на партнёрствах'],
    ['ru', 'Редактировать с телефона до сих пор неудобно'],
    ['bn', 'হয়তো ফাউন্ডেশন প্রধান নথিগুলো অনুবাদ করতে পারে'],
    ['bn', 'সত্যি বলতে শেষ জরিপটা বুঝিনি'],
    ['bn', 'আমাদের দল প্রতি শনিবার গ্রন্থাগারে মিলিত হয়'],
    ['bn', 'অনুদানের জন্য আবেদন এত কঠিন কেন?'],
    ['bn', 'আলোচনা অংশীদারিত্বের উপর রাখি'],
    ['bn', 'মোবাইলে সম্পাদনা এখনও কঠিন'],
    ['hi', 'शायद फाउंडेशन मुख्य दस्तावेज़ों का अनुवाद कर सकता है'],
    ['hi', 'सच कहूँ तो मुझे पिछला सर्वे समझ नहीं आया'],
    ['hi', 'हमारा समूह हर शनिवार पुस्तकालय में मिलता है'],
    ['hi', 'अनुदान के लिए आवेदन करना इतना कठिन क्यों है?'],
    ['hi', 'चर्चा को साझेदारी पर केंद्रित रखें'],
    ['hi', 'मोबाइल से संपादन अब भी मुश्किल है'],
    ['sw', 'Labda wakfu ungeweza kutafsiri nyaraka kuu'],
    ['sw', 'Kusema kweli sikuelewa utafiti wa mwisho'],
    ['sw', 'Kikundi chetu hukutana kila Jumamosi maktabani'],
    ['sw', 'Kwa nini ruzuku ni ngumu kuomba?'],
    ['sw', 'Tuweke mjadala kwenye ushirikiano'],
    ['sw', 'Kuhariri kwa simu bado ni kugumu kwangu'],
    ['id', 'Mungkin yayasan bisa menerjemahkan dokumen utama'],
    ['id', 'Jujur saya tidak mengerti survei terakhir'],
    ['id', 'Kelompok kami bertemu setiap hari Sabtu di perpustakaan'],
    ['id', 'Kenapa hibah begitu sulit untuk diajukan?'],
    ['id', 'Mari kita fokuskan diskusi pada kemitraan'],
    ['id', 'Menyunting lewat ponsel masih sangat sulit bagi saya'],
  ])('%s: %s', (code, text) => {
    expect(detectLanguage(text)).toBe(code);
  });

  test.each([
    ['Japanese kana, short', 'ありがとう', 'ja'],
    ['Arabic, one word', 'شكرا', 'ar'],
    ['Persian letters', 'این یک آزمایش است', 'fa'],
    ['Urdu letters', 'یہ ایک ٹیسٹ ہے', 'ur'],
    ['Ukrainian letters', 'Ми повинні підтримати громади', 'uk'],
    ['Russian, short', 'Привет', 'ru'],
    ['Bengali, one word', 'নমস্কার', 'bn'],
    ['Devanagari, one word', 'नमस्ते', 'hi'],
    ['Chinese', '我们应该支持本地社区', 'zh'],
    ['Korean', '우리는 지역 사회를 지원해야 합니다', 'ko'],
    ['German', 'Wir sollten die lokalen Gemeinschaften unterstützen', 'de'],
    ['Malay words make Malay', 'Saya tak tahu kerana wang kerajaan tidak cukup', 'ms'],
    ['Arabic with an English word and a pseudonym label', 'P-3F9K2A قال إن الـ funding قليل جدا', 'ar'],
    ['English around redaction markers', 'Please call [phone] or write to [email] about the grant', 'en'],
  ])('script and word shortcuts: %s', (_name, text, code) => {
    expect(detectLanguage(text)).toBe(code);
  });

  // Function words are looked up by a hash of the word, then confirmed against the text; noise is
  // removed by a label-only regex when the text holds no other kind of noise.
  test.each([
    ['words whose hash is that of a function word do not vote', 'aè aï aè aï aè aï we think so', 'en'],
    ['only look-alikes of function words: no answer', 'aè aï aè aï aè aï aê aé', null],
    ['capitalised function words vote', 'THE PLAN IS GOOD AND WE THINK THAT YOU SHOULD GO', 'en'],
    ['accented function words vote', 'Nós achamos que é muito importante para você', 'pt'],
    ['pseudonym labels only', 'P-3F9K2A P-ABC123 thanks for the notes, we need more of this', 'en'],
    ['a label before French', 'P-3F9K2A said nous pensons que c’est une bonne idée', 'fr'],
    ['a label and an address', 'P-3F9K2A, write to a@example.org: nous pensons que c’est une bonne idée', 'fr'],
    ['a label and a redaction marker', '[phone] P-3F9K2A we think that the plan is good', 'en'],
    ['a label glued to a word is not a label', 'P-3F9K2Ax est une bonne idée pour nous', 'fr'],
  ])('word votes and noise: %s', (_name, text, code) => {
    expect(detectLanguage(text)).toBe(code);
  });

  // One loop counts scripts and function words; it stops early on kana, looks up letters of other scripts
  // and of Arabic-script/Cyrillic languages in tables, and reads words lower-cased unit by unit: these are
  // the places where that could differ from reading the lower-cased text (answers as before the change).
  test.each([
    ['a function word right before an emoji', 'we think the plan is good and the😀 forms are long', 'en'],
    ['Swahili words before an emoji at the end', 'asante sana kwa habari hii ni nzuri sana😀', 'sw'],
    ['a lone high surrogate before an Urdu letter', 'هل يمكننا \ud800ٹ الحصول على محضر', 'ur'],
    ['a lone high surrogate before a Ukrainian letter', 'Мы должны \ud800їх поддержать', 'uk'],
    ['a lone high surrogate inside English', 'we think the\ud800and plan is good for you', 'en'],
    ['dotted capital I in English', 'İ think that the plan is good and we need more', 'en'],
    ['capital sigma in Portuguese', 'Nós achamos que Σ é muito importante para você', 'pt'],
    ['Kelvin sign lower-cases to k', '\u212Awa nini ruzuku ni ngumu kuomba? tafadhali sana', 'sw'],
    ['one kana then kanji', 'あ漢字', 'ja'],
    ['kanji then one kana', '漢字あ', 'ja'],
    ['one kana only', 'ありxyz', 'ja'],
    ['Greek letters, then Bengali', 'αβγ অআক', 'bn'],
    ['Thai', 'ขอบคุณมาก', 'th'],
    ['astral letters only', '𐌰𐌱𐌲𐌳', null],
    ['Persian letter in Arabic', 'هل يمكننا پ الحصول على محضر', 'fa'],
    ['a marker and a label, no address', '[phone] P-7KQ2XD we think that the plan is good', 'en'],
    ['an address and a label', 'me@example.org P-7KQ2XD nous pensons que c’est une bonne idée', 'fr'],
  ])('one-pass scan: %s', (_name, text, code) => {
    expect(detectLanguage(text)).toBe(code);
  });

  test.each([
    ['empty', ''],
    ['emoji only', '😂😂😂'],
    ['too short to say', 'ok 👍'],
    ['one word', 'merci!'],
    ['a link', 'https://example.org/wiki/Strategy'],
    ['a phone number', '+44 20 7946 0000'],
    ['only redaction markers', 'P-3F9K2A: [phone] [email]'],
  ])('null when %s', (_name, text) => {
    expect(detectLanguage(text)).toBeNull();
  });
});
