# Photo checks (bot/photos): what citizens read when their KTP photo or selfie has a problem.
# Every problem key of bot.photos.checks.PROBLEM_KEYS has a message here. Write for a citizen
# over 45 on a small phone: short sentences, everyday words, and say exactly what to do.

## Replies around the problems

photo-ok = Terima kasih, foto sudah kami terima.
photo-ok-with-warning = Terima kasih, foto sudah kami terima. Supaya petugas lebih mudah memeriksanya, mohon perhatikan:
photo-refused = Maaf, foto ini belum bisa kami pakai.

## How to take a good photo (shown with the request for the photo)

photo-tips-ktp =
    Cara memfoto KTP:
    1. Siapkan KTP-el asli, atau resi pengganti KTP-el.
    2. Letakkan di meja polos yang terang. Matikan lampu kilat (flash).
    3. Foto lurus dari atas. Keempat sudut KTP harus terlihat.
    4. Pastikan NIK dan tulisan terbaca jelas, tanpa pantulan cahaya.
photo-tips-selfie =
    Cara swafoto (selfie) dengan KTP:
    1. Pegang KTP yang sama di bawah dagu, jangan menutupi wajah.
    2. Hadap ke kamera, di tempat yang terang.
    3. Lepas masker, kacamata hitam, dan topi.
    4. Wajah dan KTP harus terlihat jelas. Boleh minta tolong orang lain memotret.
photo-example-banner-ktp = Contoh foto KTP yang baik
photo-example-banner-selfie = Contoh swafoto yang baik
photo-example-ktp-alt = Contoh foto KTP yang baik: seluruh KTP terlihat jelas di atas meja.
photo-example-selfie-alt = Contoh swafoto yang baik: wajah dan KTP di tangan terlihat jelas.

## The file itself (always a reason to send again)

photo-not-image = File yang dikirim bukan foto. Silakan kirim foto lewat tombol kamera atau galeri.
photo-format = Jenis file ini belum bisa kami buka. Silakan kirim sebagai foto biasa (JPG atau PNG) lewat tombol kamera atau galeri, bukan sebagai dokumen.
photo-too-big = Ukuran file foto terlalu besar. Silakan kirim sebagai foto biasa, bukan sebagai dokumen, supaya ukurannya otomatis diperkecil.
photo-too-many-pixels = Foto ini terlalu besar untuk kami buka. Silakan kirim sebagai foto biasa, bukan sebagai dokumen.
photo-corrupt = Foto tidak bisa dibuka, mungkin rusak atau belum terkirim penuh. Silakan kirim ulang fotonya.
photo-too-small = Foto terlalu kecil sehingga tulisannya tidak terbaca. Silakan foto langsung dengan kamera HP, jangan kirim tangkapan layar (screenshot) atau foto yang sudah diperkecil.
photo-check-failed = Maaf, foto belum bisa kami periksa. Silakan kirim ulang fotonya sekali lagi.

## KTP photo

ktp-blurry = Foto KTP kurang jelas (buram). Letakkan KTP di meja, di tempat terang, lalu foto dari atas. Pegang HP dengan dua tangan dan jangan bergoyang.
ktp-slightly-blurry = Foto KTP agak buram. Lain kali, sentuh layar tepat di gambar KTP supaya kamera fokus, lalu diam sebentar sampai foto selesai diambil.
ktp-too-dark = Foto KTP terlalu gelap. Nyalakan lampu atau pindah ke dekat jendela pada siang hari, lalu foto lagi.
ktp-dark = Foto KTP agak gelap. Lain kali, foto di tempat yang lebih terang.
ktp-too-bright = Foto KTP terlalu terang sehingga tulisannya hilang. Matikan lampu kilat (flash) dan jangan memotret di bawah sinar matahari langsung, lalu foto lagi.
ktp-glare = Ada pantulan cahaya di KTP yang bisa menutupi tulisan. Lain kali, matikan lampu kilat (flash) dan miringkan sedikit HP sampai kilaunya hilang.
ktp-low-resolution = KTP terlihat kecil di foto. Lain kali, dekatkan HP sampai KTP hampir memenuhi layar, dengan keempat sudutnya tetap terlihat.
ktp-card-cut = Sebagian KTP terpotong. Pastikan keempat sudut KTP terlihat di dalam foto.
ktp-nik-unreadable = NIK di foto belum terbaca jelas. Pastikan NIK (16 angka di baris atas KTP) tidak tertutup jari atau pantulan cahaya.
ktp-not-recognized = Foto ini tidak terlihat seperti KTP. Pastikan yang difoto adalah KTP-el asli Bapak/Ibu, atau resi/surat keterangan pengganti KTP-el.
ktp-nik-mismatch = NIK di foto KTP tampaknya berbeda dengan NIK yang Bapak/Ibu ketik. Mohon periksa lagi NIK yang Bapak/Ibu ketik.

## Selfie holding the KTP

selfie-blurry = Foto wajah kurang jelas (buram). Foto di tempat terang, pegang HP dengan dua tangan, dan diam sebentar sampai foto selesai diambil.
selfie-slightly-blurry = Foto wajah agak buram. Lain kali, foto di tempat yang lebih terang dan tahan HP tanpa bergoyang.
selfie-too-dark = Foto wajah terlalu gelap. Nyalakan lampu atau menghadaplah ke jendela, lalu foto lagi.
selfie-dark = Foto wajah agak gelap. Lain kali, foto sambil menghadap ke arah cahaya (jendela atau lampu).
selfie-too-bright = Foto terlalu terang sehingga wajah dan KTP tidak jelas. Jangan membelakangi jendela atau matahari, matikan lampu kilat (flash), lalu foto lagi.
selfie-glare = Ada cahaya yang terlalu terang di foto, misalnya jendela di belakang Bapak/Ibu atau pantulan di KTP. Lain kali, foto dengan dinding di belakang Bapak/Ibu.
selfie-no-face = Wajah Bapak/Ibu belum terlihat jelas di foto. Hadap ke kamera dan pegang KTP di bawah dagu, jangan menutupi wajah. Wajah dan KTP harus sama-sama terlihat.
selfie-many-faces = Ada lebih dari satu wajah di foto. Lain kali, usahakan hanya wajah Bapak/Ibu dan KTP yang terlihat. Orang yang membantu memotret cukup berada di belakang kamera.
selfie-face-small = Wajah Bapak/Ibu terlihat kecil di foto. Lain kali, dekatkan kamera sampai wajah dan KTP memenuhi sebagian besar layar.
selfie-face-cut = Sebagian wajah Bapak/Ibu terpotong di pinggir foto. Lain kali, usahakan wajah berada di tengah layar.

## Words drawn on the guide and fix pictures (large letters: keep them to a few words).

photo-guide-avoid = Jangan seperti ini:
photo-guide-good = Seperti ini
photo-mistake-ktp-buram = Buram
photo-mistake-ktp-gelap = Terlalu gelap
photo-mistake-ktp-silau = Terlalu silau
photo-mistake-ktp-terpotong = KTP terpotong
photo-mistake-ktp-kecil = KTP terlalu jauh
photo-mistake-ktp-tertutup = NIK tertutup jari
photo-mistake-selfie-wajah-tertutup = Wajah tertutup
photo-mistake-selfie-buram = Buram
photo-mistake-selfie-gelap = Terlalu gelap
photo-mistake-selfie-silau = Terlalu silau
photo-mistake-selfie-terpotong = Wajah terpotong
photo-mistake-selfie-kecil = Terlalu jauh
