# Web console: the FAQ editor (/console/faq) for admins, and the FAQ API's error messages.
# Every id starts with "console-faq-", except the audit-log labels ("console-action-faq-…"),
# which the audit page looks up by action name.

console-faq-nav = FAQ
console-faq-title = FAQ (tanya-jawab bot)
console-faq-new = Tambah entri
console-faq-new-title = Entri FAQ baru
console-faq-edit-title = Ubah entri { $id }
console-faq-back-list = ← Kembali ke daftar FAQ
console-faq-back-edit = Buka formulir entri
console-faq-export = Unduh YAML
console-faq-search = Cari teks
console-faq-status = Status
console-faq-status-all = Semua
console-faq-status-published = Terbit
console-faq-status-unpublished = Tidak terbit
console-faq-status-deleted = Terhapus
console-faq-state-published = Terbit
console-faq-state-unpublished = Tidak terbit
console-faq-state-deleted = Terhapus
console-faq-count = { $count } entri
console-faq-none = Tidak ada entri yang cocok.
console-faq-col-paraphrases = Parafrasa
console-faq-col-version = Versi
console-faq-version = Versi { $version }
console-faq-version-by = v{ $version } · { $by } · { $at }
console-faq-current = Versi sekarang

## Fields
console-faq-field-id = ID
console-faq-field-category = Kategori
console-faq-field-question = Pertanyaan
console-faq-field-paraphrases = Cara lain warga bertanya
console-faq-paraphrases-label = Cara lain warga bertanya (satu per baris)
console-faq-field-answer = Jawaban
console-faq-field-published = Status terbit
console-faq-id-hint = Huruf kecil, angka dan tanda hubung, mis. "daftar-paspor". Tidak bisa diubah nanti.
console-faq-paraphrases-hint = Tulis seperti warga mengetik: singkatan, bahasa santai, salah ketik. Makin beragam, makin tepat bot menjawab.
console-faq-publish-now = Langsung terbitkan (bot memakai jawaban ini)

## Editing
console-faq-create = Simpan entri
console-faq-save = Simpan perubahan
console-faq-publish = Terbitkan
console-faq-unpublish = Jangan terbitkan
console-faq-delete = Hapus entri
console-faq-delete-hint = Entri yang dihapus tetap punya riwayat dan bisa dipulihkan.
console-faq-history-link = Riwayat versi dan pemulihan
console-faq-from-inbox = Draf dari { $count } pertanyaan yang belum terjawab: yang paling sering ditanyakan menjadi pertanyaan, sisanya cara lain bertanya. Periksa ID dan kategori, tulis jawabannya, lalu simpan. Entri belum terbit sampai Anda menerbitkannya; pertanyaan itu ditandai selesai saat entri disimpan.
console-faq-created = Entri { $id } dibuat.
console-faq-created-draft = Entri { $id } disimpan sebagai draf (belum terbit).{ $questions ->
    [0] {""}
   *[other] { " " }{ $questions } pertanyaan yang belum terjawab ditandai selesai.
} Coba jawabannya, lalu terbitkan.
console-faq-saved = Entri { $id } disimpan sebagai versi { $version }.
console-faq-unchanged = Tidak ada perubahan pada entri { $id }.
console-faq-published = Entri { $id } diterbitkan. Bot memakainya dalam beberapa detik.
console-faq-unpublished = Entri { $id } tidak diterbitkan lagi. Bot berhenti memakainya dalam beberapa detik.
console-faq-deleted = Entri { $id } dihapus. Pulihkan dari riwayatnya (status: Terhapus) bila perlu.
console-faq-rolled-back = Entri { $id } dikembalikan ke versi { $target } (sebagai versi { $version }).

## History
console-faq-history-title = Riwayat { $id }
console-faq-history-intro = Setiap perubahan tersimpan sebagai versi: siapa, kapan, dan apa yang berubah. Memulihkan versi lama membuat versi baru.
console-faq-history-deleted = Entri ini sudah dihapus. Pulihkan salah satu versinya untuk memakainya lagi.
console-faq-action-create = Dibuat
console-faq-action-edit = Diubah
console-faq-action-import = Diimpor
console-faq-action-publish = Diterbitkan
console-faq-action-unpublish = Tidak diterbitkan
console-faq-action-delete = Dihapus
console-faq-action-rollback = Dipulihkan
console-faq-action-paraphrase = Parafrasa ditambah
console-faq-reordered = Urutan berubah
console-faq-no-change = Isi sama dengan versi sebelumnya.
console-faq-was-deleted = Entri dihapus pada versi ini.
console-faq-show-version = Lihat isi versi ini
console-faq-rollback = Pulihkan versi { $version }

## Try it
console-faq-try-title = Coba: apa jawaban bot?
console-faq-try-label = Tulis pertanyaan seperti warga mengetik
console-faq-try-placeholder = mis. ktp sy ilang gmn daftarnya
console-faq-try-submit = Coba
console-faq-try-col-published = Yang terbit sekarang (dipakai bot)
console-faq-try-col-draft = Semua entri tersimpan, termasuk yang belum terbit
console-faq-try-col-form = Dengan isi formulir ini (belum disimpan)
console-faq-try-answer = Menjawab dengan { $id } (skor { $score })
console-faq-try-suggest = Tidak yakin (skor { $score }): menawarkan pilihan pertanyaan
console-faq-try-refuse = Tidak menjawab (skor { $score }): menawarkan bicara dengan petugas
console-faq-try-offered = Pilihan yang ditawarkan sebagai tombol:
console-faq-try-col-entry = Entri
console-faq-try-col-score = Skor
console-faq-try-form-same = Isi formulir sama dengan yang terbit: hasilnya sama.
console-faq-try-no-drafts = Tidak ada entri tersimpan yang belum terbit: hasilnya sama untuk semua entri.
console-faq-try-rule = Bot menjawab bila skor terbaik cukup tinggi dan cukup jauh di atas entri kedua; selain itu ia menawarkan pilihan atau petugas.
console-faq-draft-try-title = Coba dengan isi formulir

## Unanswered inbox
console-faq-inbox-link = Belum terjawab ({ $count })
console-faq-inbox-title = Pertanyaan yang belum terjawab
console-faq-inbox-intro = Pertanyaan yang tidak bisa dijawab bot, atau yang jawabannya dinilai "Tidak membantu" oleh warga, dikelompokkan menurut kemiripan. Jadikan parafrasa entri yang ada, buat entri baru, atau abaikan.
console-faq-inbox-count = { $count } pertanyaan dalam { $groups } kelompok.
console-faq-inbox-limited = Hanya { $limit } yang terbaru ditampilkan.
console-faq-inbox-times = { $count }×
console-faq-inbox-more = dan { $count } lainnya
console-faq-inbox-nearest = Hampir dijawab dengan:
console-faq-inbox-nearest-score = Skor { $score }; bot baru menjawab mulai { $threshold } dan bila jelas unggul dari entri berikutnya.
console-faq-inbox-answered-now = Sekarang bot sudah menjawab ini dengan:
console-faq-inbox-answered-now-score = Skor { $score }. FAQ berubah sejak pertanyaan ini masuk; periksa jawabannya, lalu abaikan kelompok ini bila sudah tepat.
console-faq-inbox-nearest-none = Tidak ada entri yang mendekati: mungkin perlu entri baru.
console-faq-inbox-pick = Tambahkan sebagai cara bertanya untuk entri
console-faq-inbox-pick-hint = Yang hampir dipilih bot sudah terpilih; pilih entri lain bila lebih tepat.
console-faq-inbox-suggested = Paling mirip
console-faq-inbox-all = Semua entri
console-faq-inbox-choose = Pilih entri…
console-faq-inbox-texts = Kalimat yang ditambahkan (satu per baris)
console-faq-inbox-add = Tambahkan sebagai parafrasa
console-faq-inbox-new = Buat entri baru dari kelompok ini
console-faq-inbox-new-hint = Formulir terisi dari kelompok ini; entri tersimpan sebagai draf sampai diterbitkan.
console-faq-inbox-dismiss = Abaikan (tidak perlu jawaban)
console-faq-inbox-empty = Semua pertanyaan sudah ditangani.
console-faq-inbox-added = { $count } kalimat ditambahkan ke { $id } (versi { $version }).
console-faq-inbox-dismissed = { $count } pertanyaan ditandai selesai.
console-faq-reason-refused = tidak terjawab
console-faq-reason-unsure = bot ragu, memberi pilihan
console-faq-reason-not_helpful = dinilai tidak membantu

## Import
console-faq-import-title = Impor dari YAML
console-faq-import-hint = Berkas YAML berisi daftar entri (id, category, question, paraphrases, answer). Entri dengan id yang sama diperbarui; setiap perubahan tersimpan sebagai versi.
console-faq-import-file = Berkas YAML
console-faq-import-replace = Jadikan berkas ini seluruh FAQ (entri yang tidak ada di berkas dihapus)
console-faq-import-submit = Impor
console-faq-imported = Impor selesai: { $created } dibuat, { $updated } diperbarui, { $deleted } dihapus.

## Errors (also the "message" of the FAQ API's 4xx answers)
console-faq-error-not_found = Entri FAQ itu tidak ada.
console-faq-error-id_invalid = ID harus 1–64 huruf kecil, angka, "-" atau "_", diawali huruf atau angka (bukan new, try, unanswered, import, export).
console-faq-error-id_taken = ID itu sudah dipakai entri lain.
console-faq-error-category_invalid = Kategori harus diisi: 1–32 huruf kecil, angka, spasi atau "-".
console-faq-error-question_invalid = Pertanyaan harus berupa teks.
console-faq-error-question_empty = Pertanyaan harus diisi.
console-faq-error-question_long = Pertanyaan terlalu panjang (paling banyak { $max } karakter).
console-faq-error-answer_invalid = Jawaban harus berupa teks.
console-faq-error-answer_empty = Jawaban harus diisi.
console-faq-error-answer_long = Jawaban terlalu panjang (paling banyak { $max } karakter).
console-faq-error-paraphrases_invalid = Parafrasa harus berupa daftar teks.
console-faq-error-paraphrases_many = Terlalu banyak parafrasa (paling banyak { $max }).
console-faq-error-paraphrase_long = Ada parafrasa yang terlalu panjang (paling banyak { $max } karakter).
console-faq-error-paraphrases_none = Tulis minimal satu kalimat untuk ditambahkan.
console-faq-error-published_invalid = Status terbit harus true atau false.
console-faq-error-id_mismatch = ID di isi permintaan berbeda dengan ID di alamat.
console-faq-error-unknown_field = Ada kolom yang tidak dikenal: { $detail }
console-faq-error-version_conflict = Entri ini sudah diubah orang lain (sekarang versi { $detail }). Periksa riwayatnya; menyimpan lagi akan menimpa perubahan itu.
console-faq-error-version_not_found = Versi itu tidak ada.
console-faq-error-version_invalid = Versi harus berupa bilangan bulat.
console-faq-error-version_empty = Versi itu adalah penghapusan; pilih versi sebelumnya.
console-faq-error-import_file = Pilih berkas YAML (UTF-8) untuk diimpor.
console-faq-error-import_invalid = Berkas tidak bisa diimpor: { $detail }
console-faq-error-import_empty = Berkas kosong tidak bisa menggantikan seluruh FAQ.
console-faq-error-nothing_selected = Pertanyaan itu sudah ditangani.

## Audit log labels
console-action-faq-created = Entri FAQ dibuat
console-action-faq-updated = Entri FAQ diubah
console-action-faq-published = Entri FAQ diterbitkan
console-action-faq-unpublished = Entri FAQ tidak diterbitkan
console-action-faq-deleted = Entri FAQ dihapus
console-action-faq-rolled_back = Entri FAQ dipulihkan ke versi lama
console-action-faq-imported = FAQ diimpor
console-action-faq-import = FAQ diimpor (baris perintah)
console-action-faq-exported = FAQ diunduh
console-action-faq-unanswered_converted = Pertanyaan belum terjawab dijadikan jawaban
console-action-faq-unanswered_dismissed = Pertanyaan belum terjawab diabaikan
