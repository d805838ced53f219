/**
 * Edits of test/fixtures/models_changes, one per kind of model change, each compared with what
 * real Django's `makemigrations --dry-run` makes of it. `files` maps a project-relative path to a
 * function from its text to the edited text.
 */
export interface ModelChange {
  readonly name: string;
  readonly files: Readonly<Record<string, (text: string) => string>>;
  /** The change needs a default that `makemigrations --noinput` cannot ask for (it exits 3). */
  readonly needsDefault?: boolean;
}

function replace(from: string, to: string): (text: string) => string {
  return (text) => {
    if (!text.includes(from)) throw new Error(`fixture text not found: ${from}`);
    return text.replace(from, to);
  };
}

const append = (code: string) => (text: string) => `${text}\n${code}`;

const BOOK_META = "        db_table = 'shop_books'\n";

export const modelChanges: readonly ModelChange[] = [
  { name: 'no change', files: {} },
  {
    name: 'no change: a comment and a method',
    files: {
      'shop/models.py': replace(
        '    def __str__(self):',
        '    # shown in the admin\n    def label(self):\n        return self.name\n\n    def __str__(self):',
      ),
    },
  },
  {
    name: 'no change: a field added to a mixin that is not a model',
    files: {
      'shop/base.py': replace(
        '    """A mixin that is not a model: its attributes are not fields."""',
        '    """A mixin that is not a model: its attributes are not fields."""\n\n    note = models.TextField(default="")',
      ),
    },
  },
  {
    name: 'add field',
    files: {
      'shop/models.py': replace(
        '    pages = models.PositiveIntegerField(null=True)\n',
        "    pages = models.PositiveIntegerField(null=True)\n    isbn = models.CharField(max_length=13, default='')\n",
      ),
    },
  },
  {
    name: 'add non-nullable field without default',
    needsDefault: true,
    files: {
      'shop/models.py': replace(
        '    pages = models.PositiveIntegerField(null=True)\n',
        '    pages = models.PositiveIntegerField(null=True)\n    stock = models.IntegerField()\n',
      ),
    },
  },
  { name: 'remove field', files: { 'shop/models.py': replace('    pages = models.PositiveIntegerField(null=True)\n', '') } },
  { name: 'alter field through a module constant', files: { 'shop/models.py': replace('TITLE_LENGTH = 200', 'TITLE_LENGTH = 250') } },
  {
    name: 'alter field: null',
    files: {
      'shop/models.py': replace(
        '    percent = models.PositiveSmallIntegerField(default=10)',
        '    percent = models.PositiveSmallIntegerField(default=10, null=True)',
      ),
    },
  },
  {
    name: 'rename field',
    files: {
      'shop/models.py': replace(
        '    pages = models.PositiveIntegerField(null=True)\n',
        '    page_count = models.PositiveIntegerField(null=True)\n',
      ),
    },
  },
  {
    name: 'add model',
    files: {
      'shop/models.py': append(
        '\nclass Publisher(models.Model):\n    name = models.CharField(max_length=50)\n    founded = models.DateField(null=True, blank=True)\n',
      ),
    },
  },
  {
    // Circular foreign keys between new models: Django creates one without its relation, then adds it.
    name: 'add models with circular foreign keys',
    files: {
      'shop/models.py': append(
        '\nclass Shelf(models.Model):\n    label = models.CharField(max_length=20)\n' +
          "    best = models.ForeignKey('Bin', models.SET_NULL, null=True, related_name='+')\n" +
          '\n\nclass Bin(models.Model):\n    shelf = models.ForeignKey(Shelf, models.CASCADE)\n' +
          "    tags = models.ManyToManyField('Publisher2')\n\n    class Meta:\n        unique_together = [('shelf', 'id')]\n" +
          "        indexes = [models.Index(fields=['shelf'], name='bin_shelf_idx')]\n" +
          '\n\nclass Publisher2(models.Model):\n    name = models.CharField(max_length=50)\n\n    class Meta:\n' +
          "        constraints = [models.UniqueConstraint(fields=['name'], name='publisher2_name_uniq')]\n" +
          "        indexes = [models.Index(fields=['name'], name='publisher2_name_idx')]\n",
      ),
    },
  },
  {
    name: 'remove model',
    files: {
      'shop/models.py': replace(
        'class Coupon(models.Model):\n    code = models.CharField(max_length=12, unique=True)\n    percent = models.PositiveSmallIntegerField(default=10)\n',
        '',
      ),
    },
  },
  { name: 'rename model', files: { 'shop/models.py': replace('class Coupon(models.Model):', 'class Voucher(models.Model):') } },
  {
    name: 'add ForeignKey',
    files: {
      'shop/models.py': replace(
        '    pages = models.PositiveIntegerField(null=True)\n',
        "    pages = models.PositiveIntegerField(null=True)\n    editor = models.ForeignKey('Author', null=True, blank=True, on_delete=models.SET_NULL, related_name='edited')\n",
      ),
    },
  },
  {
    name: 'alter OneToOneField on_delete',
    files: {
      'shop/models.py': replace('on_delete=models.SET_NULL, null=True, blank=True)', 'on_delete=models.CASCADE, null=True, blank=True)'),
    },
  },
  {
    name: 'alter ManyToManyField with through',
    files: { 'shop/models.py': replace("through='BookTag', blank=True)", "through='BookTag')") },
  },
  {
    name: 'alter through model',
    files: { 'shop/models.py': replace('    weight = models.IntegerField(default=1)', '    weight = models.IntegerField(default=2)') },
  },
  {
    name: 'swappable user model: add field',
    files: { 'accounts/models.py': append('    nickname = models.CharField(max_length=30, blank=True)\n') },
  },
  {
    name: 'abstract base: add field',
    files: {
      'shop/base.py': replace(
        '    updated = models.DateTimeField(auto_now=True)\n',
        '    updated = models.DateTimeField(auto_now=True)\n    archived = models.BooleanField(default=False)\n',
      ),
    },
  },
  {
    name: 'abstract base: Meta ordering',
    files: { 'shop/base.py': replace("        ordering = ['-created']", "        ordering = ['-updated']") },
  },
  {
    name: 'proxy model: Meta ordering',
    files: {
      'shop/models.py': replace(
        "        proxy = True\n        ordering = ['-created']",
        "        proxy = True\n        ordering = ['title']",
      ),
    },
  },
  {
    name: 'multi-table inheritance: add field',
    files: {
      'shop/models.py': replace(
        '    file_size = models.IntegerField(default=0)',
        "    file_size = models.IntegerField(default=0)\n    file_format = models.CharField(max_length=10, default='epub')",
      ),
    },
  },
  { name: 'Meta ordering', files: { 'shop/models.py': replace(BOOK_META, `${BOOK_META}        ordering = ['title']\n`) } },
  { name: 'Meta db_table', files: { 'shop/models.py': replace("db_table = 'shop_books'", "db_table = 'shop_book_items'") } },
  {
    name: 'Meta indexes',
    files: {
      'shop/models.py': replace(
        "indexes = [models.Index(fields=['title'], name='book_title_idx')]",
        "indexes = [models.Index(fields=['title'], name='book_title_idx'), models.Index(fields=['genre', '-pages'], name='book_genre_idx')]",
      ),
    },
  },
  {
    name: 'Meta constraints',
    files: {
      'shop/models.py': replace(
        "        constraints = [models.CheckConstraint(check=models.Q(price__gte=0), name='book_price_positive')]\n",
        '',
      ),
    },
  },
  {
    name: 'Meta unique_together',
    files: {
      'shop/models.py': replace("unique_together = [('title', 'author')]", "unique_together = [('title', 'author'), ('code', 'genre')]"),
    },
  },
  {
    name: 'Meta verbose_name',
    files: {
      'shop/models.py': replace(
        'class Tag(models.Model):\n    label = models.SlugField()\n',
        "class Tag(models.Model):\n    label = models.SlugField()\n\n    class Meta:\n        verbose_name = 'keyword'\n",
      ),
    },
  },
  {
    name: 'custom field class: argument',
    files: { 'shop/models.py': replace('MoneyField(max_digits=8, decimal_places=2)', 'MoneyField(max_digits=10, decimal_places=2)') },
  },
  {
    name: 'choices',
    files: { 'shop/models.py': replace("    ('science', 'Science'),\n", "    ('science', 'Science'),\n    ('poetry', 'Poetry'),\n") },
  },
  { name: 'default callable', files: { 'shop/models.py': replace('default=default_code)', 'default=uuid.uuid4)') } },
  {
    name: 'several changes in two models',
    files: {
      'shop/models.py': (text) =>
        replace(
          '    percent = models.PositiveSmallIntegerField(default=10)',
          '    percent = models.PositiveSmallIntegerField(default=15)',
        )(replace('    label = models.SlugField()', '    label = models.SlugField(max_length=80)')(text)),
    },
  },
];
