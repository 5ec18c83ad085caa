/**
 * The small closed sets of words people type instead of pressing a button or asking: greetings,
 * thanks and "ok", yes and no, question words, in English, Arabic (standard and Iraqi) and Sorani
 * (written and colloquial). A closed set needs no classifier: a list, folded like the messages
 * (foldForMatching: hamza forms, ى/ي, ة/ه, ک/ك, ی/ي and ە/ه are one letter here), is exact and
 * says why it matched. Every phrase is matched as whole words.
 */
import { foldForMatching } from '../domain/match-text.js';

export type SocialAct = 'greeting' | 'thanks' | 'ok';

const fold = (list: string[]) => [...new Set(list.map(foldForMatching))];

export const SOCIAL: Record<SocialAct, string[]> = {
  greeting: fold([
    'hi', 'hii', 'hiii', 'hello', 'helo', 'hallo', 'hellow', 'hey', 'heya', 'hiya', 'greetings', 'good morning', 'good afternoon', 'good evening', 'good day',
    'morning', 'evening', 'hi there', 'hello there', 'hey there', 'salam', 'salaam', 'salam alaikum', 'assalamu alaikum', 'as salamu alaykum', 'marhaba', 'howdy', 'yo',
    'dear', 'dear team', 'dear organisers', 'dear organizers', 'hello team', 'hi team', 'hello everyone', 'hi all', 'hello all', 'how are you',
    'مرحبا', 'مرحباً', 'مرحبه', 'مرحبتين', 'اهلا', 'أهلا', 'أهلاً', 'اهلين', 'اهلا وسهلا', 'هلا', 'هلو', 'هلاو', 'هاي', 'الو', 'ألو',
    'السلام عليكم', 'سلام عليكم', 'السلام عليكم ورحمة الله', 'السلام عليكم ورحمة الله وبركاته', 'سلام', 'السلام', 'صباح الخير', 'مساء الخير', 'صباح النور', 'مساء النور',
    'شلونك', 'شلونكم', 'شلون الحال', 'كيف الحال', 'كيف حالك', 'كيفك', 'هلا بيكم', 'هلا والله', 'مرحبا بكم', 'تحية طيبة', 'تحياتي',
    'سڵاو', 'سلاو', 'سڵاوتان لێبێت', 'سڵاو لێتان', 'سڵاو لە ئێوە', 'سەلام', 'سەلامو عەلەیکوم', 'بەیانی باش', 'ئێوارە باش', 'ڕۆژباش', 'ڕۆژ باش', 'شەو باش', 'چۆنی', 'چۆنن', 'چۆنیت', 'باشی', 'هەی',
  ]),
  thanks: fold([
    'thanks', 'thank you', 'thankyou', 'thank u', 'thx', 'thnx', 'ty', 'tnx', 'many thanks', 'thanks a lot', 'thanks so much', 'thank you so much', 'thank you very much',
    'cheers', 'appreciated', 'much appreciated', 'great thanks', 'ok thanks', 'ok thank you', 'thanks again', 'shukran',
    'شكرا', 'شكراً', 'شكرن', 'شكرا جزيلا', 'شكراً جزيلاً', 'شكرا لك', 'شكرا لكم', 'مشكور', 'مشكورين', 'مشكورة', 'تسلم', 'تسلمون', 'تسلمين', 'يسلمو', 'يسلمون',
    'الله يعطيك العافية', 'يعطيك العافية', 'عاشت ايدك', 'عاشت ايديكم', 'ممنون', 'ممنونك', 'بارك الله فيك', 'جزاك الله خيرا', 'الف شكر', 'ألف شكر', 'متشكر',
    'سوپاس', 'سپاس', 'زۆر سوپاس', 'زور سوپاس', 'سوپاستان دەکەم', 'سوپاست دەکەم', 'دەستخۆش', 'دەست خۆش', 'دەستتان خۆش', 'مەمنون', 'مەمنونم', 'زۆر مەمنون', 'سوپاس بۆ تۆ',
  ]),
  ok: fold([
    'ok', 'okay', 'okey', 'okk', 'k', 'kk', 'alright', 'all right', 'fine', 'got it', 'great', 'cool', 'nice', 'perfect', 'good', 'understood', 'i see', 'noted', 'ok great', 'oh ok',
    'تمام', 'اوكي', 'أوكي', 'اوك', 'حسنا', 'حسناً', 'زين', 'ماشي', 'طيب', 'عال', 'ممتاز', 'فهمت', 'وصلت', 'اوكيه', 'تمام التمام', 'زين زين', 'ماكو مشكلة',
    'باشە', 'باشه', 'زۆر باشە', 'ئۆکەی', 'اوکەی', 'تێگەیشتم', 'تێگەیشتین', 'جوانە', 'نایابە', 'ئاشکرایە',
  ]),
};

/**
 * Greetings that are also given names: «سلام» (Salam), «هلا» (Hala). Where a name is asked, such a
 * word alone is the name.
 */
export const GREETINGS_THAT_ARE_NAMES = new Set(fold(['salam', 'salaam', 'hala', 'سلام', 'هلا', 'سەلام', 'سلاو']));

/** Words that say yes to a yes/no question (the terms, a confirmation). */
export const YES = fold([
  'yes', 'y', 'ya', 'yeah', 'yea', 'yep', 'yup', 'yes please', 'sure', 'of course', 'agree', 'i agree', 'agreed', 'i accept', 'accept', 'accepted', 'i consent', 'confirm', 'i confirm',
  'yes i agree', 'yes i do', 'i do', 'go ahead', 'absolutely', 'definitely', 'correct', 'right',
  'نعم', 'ايوه', 'ايوا', 'ايه', 'اي', 'إي', 'أي نعم', 'اي نعم', 'اكيد', 'أكيد', 'بلى', 'موافق', 'موافقة', 'اوافق', 'أوافق', 'انا موافق', 'أنا موافق', 'نعم موافق', 'نعم اوافق', 'نعم أوافق',
  'طبعا', 'طبعاً', 'صح', 'اقبل', 'أقبل', 'قبلت', 'وافقت', 'موافج', 'اكيد موافق',
  'بەڵێ', 'بەلێ', 'بەلی', 'بەڵی', 'ئا', 'ئەرێ', 'ئەری', 'بێگومان', 'ڕازیم', 'رازیم', 'ڕازیمە', 'من ڕازیم', 'بەڵێ ڕازیم', 'قبوڵە', 'قبوڵمە', 'قبوڵم کرد', 'هەڵبەت', 'دڵنیابە', 'ڕاستە', 'بەڵێ قبوڵە',
]);

/** Words that say no. */
export const NO = fold([
  'no', 'n', 'nope', 'nah', 'no thanks', 'no thank you', 'i decline', 'decline', 'i disagree', 'disagree', "don't agree", 'dont agree', 'do not agree', 'i do not agree', 'i dont agree',
  'not now', 'cancel', 'refuse', 'i refuse', 'never',
  'لا', 'لأ', 'لاء', 'كلا', 'لا شكرا', 'لا شكراً', 'مو موافق', 'غير موافق', 'لست موافقا', 'لا أوافق', 'لا اوافق', 'ارفض', 'أرفض', 'ما اريد', 'ماريد', 'ما أريد', 'لا اريد', 'لا أريد', 'ما موافق', 'ماموافق',
  'نەخێر', 'نەخیر', 'نا', 'نەء', 'نە', 'ڕازی نیم', 'رازی نیم', 'نامەوێت', 'نامەوێ', 'ڕەتدەکەمەوە', 'ڕەتی دەکەمەوە', 'نا سوپاس', 'قبوڵ نییە', 'قبوڵم نییە',
]);

/** Polite openers that carry no meaning of their own in front of a question: "please, …", "excuse me, …". */
export const FILLERS = fold([
  'please', 'pls', 'plz', 'excuse me', 'sorry', 'quick question', 'a question', 'one question', 'i have a question', 'question', 'sir', 'madam', 'friends', 'guys',
  'من فضلك', 'لو سمحت', 'رجاء', 'رجاءً', 'عفوا', 'عفواً', 'سؤال', 'عندي سؤال', 'سؤال بسيط', 'اخي', 'أخي', 'اخوان', 'استاذ', 'أستاذ', 'حبيبي', 'بلا زحمة', 'بلا زحمه', 'اريد اسأل', 'اريد اسال', 'ممكن سؤال',
  'تکایە', 'تكايه', 'ببورە', 'پرسیارێک', 'پرسیارێکم هەیە', 'پرسیار', 'کاکە', 'خوشکە', 'بەڕێز', 'هاوڕێیان',
]);

/**
 * Words that make a message a question wherever they stand. English puts them first; Arabic
 * mostly first; Sorani often last ("کۆتا ڕۆژ کەیە", "چەندە"), so for Arabic script they count
 * anywhere in a short message.
 */
export const QUESTION_OPENERS_LATIN = fold([
  'how', 'hows', 'what', 'whats', 'when', 'whens', 'where', 'wheres', 'who', 'whom', 'whose', 'which', 'why', 'can', 'could', 'may', 'might', 'is', 'are', 'am', 'do', 'does', 'did',
  'will', 'would', 'should', 'shall', 'must', 'until', 'till', 'by', 'any', 'is there', 'are there', 'tell me', 'i want to know', 'i would like to know', 'wondering', 'i wonder', 'pls tell', 'explain',
]);

export const QUESTION_WORDS_ARABIC_SCRIPT = fold([
  // Arabic, standard and Iraqi
  'كيف', 'ما', 'ماذا', 'متى', 'متي', 'اين', 'أين', 'من', 'هل', 'كم', 'لماذا', 'ماهي', 'ماهو', 'اي', 'أي', 'ايش', 'شو', 'وش',
  'شلون', 'اشلون', 'شكد', 'شگد', 'شقد', 'اشكد', 'وين', 'منو', 'شنو', 'اشنو', 'ليش', 'يمته', 'امته', 'شوكت', 'اكدر', 'أكدر', 'اقدر', 'أقدر', 'نكدر', 'ممكن', 'يمكن', 'يمكنني', 'أستطيع', 'استطيع',
  'بيش', 'بأي', 'باي', 'لغاية', 'لحد',
  // Sorani, written and colloquial
  'چۆن', 'چی', 'چییە', 'چیە', 'کەی', 'کەیە', 'کوێ', 'کوێیە', 'لەکوێ', 'کێ', 'کێیە', 'ئایا', 'چەند', 'چەندە', 'بۆچی', 'دەتوانم', 'ئەتوانم', 'دەتوانین', 'ئەتوانین', 'دەکرێت', 'ئەکرێت', 'دەبێت', 'ئەبێ',
  'کام', 'کامە', 'چۆنە', 'چۆنی', 'تاکەی', 'تا کەی', 'کێن', 'کێیە',
]);
