# A KTP photo sent before typing (dialogs/registration/reading.py): what the bot read, to confirm.
reg-read-offer =
    Dari foto KTP { $helper ->
        [yes] itu
       *[no] Bapak/Ibu
    }, saya membaca:
    Nama: { $name }
    NIK: { $nik }
    Tanggal lahir: { $birth }
    Apakah sudah benar?
btn-read-yes = ✅ Benar
btn-read-change = ✏️ Ubah, saya ketik
reg-read-thanks = Terima kasih, data dari KTP sudah diisi.
reg-read-type-instead = Baik, silakan ketik sendiri datanya. Foto KTP tetap tersimpan.
reg-read-unsure = Tulisan di foto belum terbaca dengan pasti. Silakan ketik datanya. Foto KTP tetap tersimpan.
reg-ask-name-photo-hint = Atau kirim saja foto KTP-el-nya: nama dan NIK saya bacakan, tinggal tekan "Benar".

# The verifier's console: the KTP's rows read by OCR (bot/console/templates/_review_fields.html).
console-ktp-read-title = Dibaca dari foto KTP
console-ktp-read-engine = mesin: { $engine }
console-ktp-read-unsure = bacaan kurang pasti
console-ktp-read-crop = Potongan baris { $field } dari foto KTP
console-ktp-read-digits = digit berbeda di posisi { $positions }
console-ktp-read-birth-vs-nik = tanggal di KTP tidak sama dengan tanggal dalam NIK yang diketik
console-ktp-agree-same = ✓ sama dengan ketikan
console-ktp-agree-close = ≈ mirip (beda 1–2 huruf)
console-ktp-agree-differs = ≠ berbeda, periksa
console-ktp-agree-unread = tidak terbaca
console-ktp-agree-untyped = belum diketik

# The KTP photo at its own step, whose sure reading differs from what was typed.
reg-read-correction =
    Di foto KTP { $helper ->
        [yes] itu
       *[no] Bapak/Ibu
    } tertulis:
    Nama: { $name }
    NIK: { $nik }
    Tanggal lahir: { $birth }
    Ini berbeda dengan yang diketik. Pakai data dari KTP?
btn-read-use = ✅ Pakai data KTP
btn-read-keep = Tetap yang diketik
reg-read-corrected = Terima kasih, data sudah disamakan dengan KTP.
reg-read-kept = Baik, data yang diketik tetap dipakai. Petugas akan memeriksanya.
