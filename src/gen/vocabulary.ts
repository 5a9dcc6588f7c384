/**
 * The words the generator builds its strings from. Board names and pin titles follow the
 * board's / image's category, so text carries signal the category-correction job can use.
 * Lists are indexed by deterministic hashes in `sql.ts`.
 */
import { CATEGORIES } from '../catalog/index.js';

/** ISO-3166 alpha-2 codes, weighted roughly like a photo-sharing site's audience. */
export const COUNTRY_WEIGHTS: readonly (readonly [string, number])[] = [
  ['US', 40], ['GB', 6], ['CA', 5], ['DE', 5], ['FR', 5], ['BR', 6], ['MX', 4], ['AU', 3],
  ['IN', 4], ['JP', 2], ['ES', 2], ['IT', 2], ['NL', 1.5], ['SE', 1], ['PL', 1.5], ['AR', 1.5],
  ['CO', 1], ['PH', 1], ['ID', 1], ['TR', 1], ['ZA', 1], ['NZ', 0.5], ['IE', 0.5], ['BE', 0.5],
  ['AT', 0.5], ['CH', 0.5], ['PT', 0.5], ['NO', 0.3], ['DK', 0.3], ['FI', 0.3], ['KR', 1],
  ['CL', 0.5], ['PE', 0.4], ['NG', 0.4], ['EG', 0.3], ['SG', 0.3], ['MY', 0.3], ['TH', 0.3],
  ['VN', 0.3], ['UA', 0.3], ['RO', 0.3], ['GR', 0.3], ['CZ', 0.3], ['HU', 0.2], ['IL', 0.2],
]; // biome-ignore format: a table

/** How common each category is among boards, in `CATEGORIES` order. */
const POPULARITY: Record<(typeof CATEGORIES)[number], number> = {
  animals: 4, art: 4, beauty: 5, cars: 2, celebrities: 2, design: 3, diy: 7, education: 3,
  fashion: 8, film: 2, fitness: 4, food: 10, gardening: 3, hair: 4, health: 3, history: 1,
  home: 9, humor: 3, kids: 4, men: 2, music: 2, outdoors: 2, photography: 3, products: 3,
  quotes: 4, science: 1, sports: 2, tattoos: 2, technology: 2, travel: 5, weddings: 4, other: 3,
}; // biome-ignore format: a table
export const CATEGORY_WEIGHTS: readonly number[] = CATEGORIES.map((c) => POPULARITY[c]);

/** Per category: what boards are called and what pins show. */
export const TOPICS: Record<(typeof CATEGORIES)[number], { boards: string[]; subjects: string[] }> = {
  animals: { boards: ['Cute animals', 'Dogs', 'Cats', 'Wildlife', 'Pets'], subjects: ['puppy', 'kitten', 'golden retriever', 'red fox', 'bunny', 'horse', 'sea otter'] },
  art: { boards: ['Art', 'Drawing', 'Painting ideas', 'Watercolor', 'Sketchbook'], subjects: ['watercolor landscape', 'charcoal portrait', 'abstract painting', 'ink sketch', 'acrylic pour'] },
  beauty: { boards: ['Beauty', 'Makeup looks', 'Skincare', 'Nails'], subjects: ['eye makeup', 'skincare routine', 'nail art', 'lip color', 'glowy skin'] },
  cars: { boards: ['Cars', 'Dream cars', 'Classic cars', 'Motorcycles'], subjects: ['vintage mustang', 'sports car', 'camper van', 'cafe racer', 'electric car'] },
  celebrities: { boards: ['Celebrities', 'Red carpet', 'Style icons'], subjects: ['red carpet look', 'celebrity style', 'award show dress', 'street style'] },
  design: { boards: ['Design', 'Graphic design', 'Typography', 'Logos'], subjects: ['logo design', 'poster layout', 'typography', 'color palette', 'brand identity'] },
  diy: { boards: ['DIY', 'Crafts', 'DIY projects', 'Upcycling'], subjects: ['mason jar craft', 'pallet shelf', 'macrame hanger', 'paper flowers', 'candle making'] },
  education: { boards: ['Teaching', 'Classroom ideas', 'Study tips'], subjects: ['classroom decor', 'math worksheet', 'study notes', 'reading corner', 'science lesson'] },
  fashion: { boards: ['Style', 'Outfits', 'Fall fashion', 'Wardrobe'], subjects: ['fall outfit', 'denim jacket', 'capsule wardrobe', 'summer dress', 'trench coat'] },
  film: { boards: ['Movies', 'Film', 'Cinema'], subjects: ['movie poster', 'film still', 'cinematography', 'classic film'] },
  fitness: { boards: ['Fitness', 'Workouts', 'Yoga'], subjects: ['ab workout', 'yoga flow', 'hiit routine', 'running plan', 'stretching'] },
  food: { boards: ['Recipes', 'Dinner ideas', 'Desserts', 'Baking', 'Healthy eats', 'Meal prep'], subjects: ['chicken pasta', 'banana bread', 'avocado toast', 'chocolate cake', 'vegan curry', 'sheet pan dinner', 'lemon bars'] },
  gardening: { boards: ['Garden', 'Gardening', 'Plants'], subjects: ['raised bed', 'succulents', 'herb garden', 'tomato plants', 'flower border'] },
  hair: { boards: ['Hair', 'Hairstyles', 'Hair color'], subjects: ['braided updo', 'balayage', 'pixie cut', 'beach waves', 'bob haircut'] },
  health: { boards: ['Health', 'Wellness', 'Self care'], subjects: ['sleep routine', 'gut health', 'meditation', 'healthy habits', 'detox water'] },
  history: { boards: ['History', 'Vintage photos', 'Ancient history'], subjects: ['old photograph', 'roman ruins', 'ww2 photo', 'medieval castle'] },
  home: { boards: ['Home decor', 'Living room', 'Kitchen ideas', 'Bedroom'], subjects: ['living room', 'kitchen remodel', 'bedroom decor', 'gallery wall', 'entryway'] },
  humor: { boards: ['Funny', 'Humor', 'Memes'], subjects: ['funny meme', 'cat meme', 'office humor', 'funny quote'] },
  kids: { boards: ['Kids', 'Kids crafts', 'Toddler activities'], subjects: ['toddler activity', 'kids craft', 'birthday party', 'playroom', 'lunch box'] },
  men: { boards: ["Men's style", 'Menswear', 'Grooming'], subjects: ['mens outfit', 'beard style', 'leather boots', 'watch', 'suit'] },
  music: { boards: ['Music', 'Guitar', 'Concerts'], subjects: ['guitar chords', 'vinyl records', 'concert poster', 'piano'] },
  outdoors: { boards: ['Outdoors', 'Hiking', 'Camping'], subjects: ['hiking trail', 'camping gear', 'mountain lake', 'national park'] },
  photography: { boards: ['Photography', 'Photo ideas', 'Portraits'], subjects: ['golden hour portrait', 'street photo', 'photo pose', 'long exposure'] },
  products: { boards: ['Wishlist', 'Products', 'Gift ideas'], subjects: ['gift idea', 'desk gadget', 'tote bag', 'ceramic mug', 'phone case'] },
  quotes: { boards: ['Quotes', 'Inspiration', 'Words'], subjects: ['motivational quote', 'love quote', 'life quote', 'funny quote'] },
  science: { boards: ['Science', 'Space', 'Nature science'], subjects: ['nebula', 'chemistry', 'solar system', 'dna model'] },
  sports: { boards: ['Sports', 'Football', 'Basketball'], subjects: ['football play', 'basketball shoes', 'soccer drill', 'team jersey'] },
  tattoos: { boards: ['Tattoos', 'Tattoo ideas', 'Ink'], subjects: ['small tattoo', 'floral tattoo', 'fine line tattoo', 'sleeve tattoo'] },
  technology: { boards: ['Tech', 'Gadgets', 'Coding'], subjects: ['desk setup', 'mechanical keyboard', 'smart home', 'coding tips'] },
  travel: { boards: ['Travel', 'Places to go', 'Bucket list'], subjects: ['paris trip', 'bali beach', 'road trip', 'tokyo guide', 'packing list'] },
  weddings: { boards: ['Wedding', 'Wedding ideas', 'Bridal'], subjects: ['wedding dress', 'bouquet', 'wedding cake', 'rustic wedding', 'bridesmaid'] },
  other: { boards: ['Stuff', 'Misc', 'Things I love', 'Random'], subjects: ['random find', 'cool idea', 'weekend plan', 'fun thing'] },
}; // biome-ignore format: a table

export const ADJECTIVES = ['easy', 'best', 'simple', 'cozy', 'modern', 'vintage', 'minimalist', 'cute', 'amazing', 'quick', 'budget', 'classic', 'boho', 'rustic', 'colorful', 'beautiful'];
export const TITLE_SUFFIXES = ['ideas', 'inspiration', 'for beginners', 'you will love', 'to try this weekend', 'on a budget', 'for fall', 'for summer', 'tutorial', 'guide', '', ''];
export const BOARD_PREFIXES = ['', '', '', 'My ', 'Best ', 'Favorite ', 'Dream ', 'Future '];
export const DESCRIPTION_OPENERS = ['Love this', 'Saving this for later', 'So pretty', 'Must try', 'Obsessed with this', 'Great idea', 'Pinned from the web', 'Adding to my list'];
export const DOMAINS = ['etsy.com', 'instagram.com', 'youtube.com', 'amazon.com', 'medium.com', 'allrecipes.com', 'wordpress.com', 'blogspot.com', 'houzz.com', 'tumblr.com', 'flickr.com', 'buzzfeed.com', 'nytimes.com', 'vogue.com', 'bonappetit.com', 'apartmenttherapy.com'];
export const NAME_WORDS = ['sunny', 'cozy', 'wild', 'little', 'happy', 'urban', 'golden', 'misty', 'blue', 'silver', 'maple', 'olive', 'rosie', 'jade', 'luna', 'sage', 'ivy', 'ember', 'willow', 'poppy', 'max', 'leo', 'sam', 'kate', 'emma', 'noah', 'mia', 'alex', 'nora', 'eli'];
export const NAME_NOUNS = ['maker', 'pins', 'home', 'kitchen', 'studio', 'style', 'crafts', 'journal', 'garden', 'life', 'designs', 'travels', 'lens', 'loves', 'nest', 'ink'];
export const BIO_ROLES = ['Mom of two', 'Coffee lover', 'Graphic designer', 'Teacher', 'Home cook', 'Dreamer', 'Student', 'Nurse', 'Photographer', 'Dog person', 'Bookworm', 'Runner', 'Engineer', 'Plant parent'];
export const BIO_VERBS = ['pinning', 'saving', 'collecting', 'dreaming about', 'obsessed with', 'into'];
