import { matchFaq, isShortQuestion } from '../src/domain/faq.ts';
import { languageFromName } from '../src/domain/language-names.ts';
for (const q of ['Can I write in Arabic?', 'How many words?', 'What is the deadline?', 'How do I submit?', 'Who reads it?', 'Can I send a Word file?', 'Can I change it later?', 'When and where is the conference?',
'هل يمكنني الكتابة بالعربية؟','كم كلمة؟','ما هو الموعد النهائي؟','كيف أرسل مساهمتي؟','من يقرأ مساهمتي؟','هل يمكنني إرسال ملف وورد؟','هل يمكنني تعديلها لاحقاً؟','متى وأين يُعقد المؤتمر؟',
'دەتوانم بە عەرەبی بنووسم؟','چەند وشە؟','دوا وادە کەیە؟','چۆن بەشدارییەکەم بنێرم؟','کێ دەیخوێنێتەوە؟','دەتوانم فایلی وۆرد بنێرم؟','دواتر دەتوانم بیگۆڕم؟','کۆنفرانسەکە کەی و لە کوێ دەبێت؟',
'Hama', '3.', 'This is my text about civil society in Basra', 'Iraq']) console.log(q, '→', matchFaq(q), isShortQuestion(q));
for (const n of ['کوردی','سۆرانی','عربي','العربية','English','Kurdish','كوردي','hello']) console.log(n, languageFromName(n));
